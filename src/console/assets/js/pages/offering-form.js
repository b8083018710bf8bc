/**
 * The form that registers an offering (POST /api/offerings): metadata, a contract template
 * from contracts/ with its parameters (fields drawn from the template's declared parameter
 * types, filled with its example), the classification label of this partner's scheme,
 * whether it holds personal data, where the data plane reads it, and the anonymisation
 * declaration an `anonymize` duty runs with.
 */
import { h, replace } from '../dom.js';
import { field, onSubmit } from '../forms.js';

/** A template parameter as a form field (types from contracts/templates.json). */
function parameterField(name, spec, example) {
  const common = { label: `${name} — ${spec.description}`, name: `param-${name}`, path: `policy.params.${name}`, required: true };
  if (spec.type === 'integer') {
    return field({ ...common, type: 'number', step: '1', min: spec.minimum ?? null, max: spec.maximum ?? null, value: example ?? '' });
  }
  if (spec.type === 'partners') {
    return field({ ...common, value: Array.isArray(example) ? example.join(', ') : '', hint: 'Partner ids separated by commas, e.g. uk, ca' });
  }
  if (spec.type === 'partner') return field({ ...common, value: example ?? '', pattern: '[a-z]{2}(\\/[a-z]{2})?', hint: 'A partner id: uk, eu, ca, au (eu/de for one member state)' });
  return field({ ...common, value: example ?? '' });
}

function parameterValue(spec, raw) {
  if (spec.type === 'integer') return Number(raw);
  if (spec.type === 'partners') return raw.split(',').map((part) => part.trim()).filter(Boolean);
  return raw.trim();
}

function list(raw) {
  return raw.split(',').map((part) => part.trim()).filter(Boolean);
}

/** The body POST /api/offerings takes, read from the form. */
function offeringBody(form, template) {
  const value = (name) => form.elements.namedItem(name).value.trim();
  const params = Object.fromEntries(Object.entries(template?.parameters ?? {}).map(([name, spec]) => [name, parameterValue(spec, value(`param-${name}`))]));
  const description = value('description');
  const declaration = value('declarationRef');
  return {
    title: value('title'),
    ...(description ? { description } : {}),
    keywords: list(value('keywords')),
    formats: list(value('formats')),
    policy: { template: value('template'), params },
    classification: value('classification'),
    personalData: form.elements.namedItem('personalData').checked,
    dataSource: { type: value('sourceType'), reference: value('sourceReference') },
    ...(declaration ? { anonymisation: { declarationRef: declaration } } : {}),
  };
}

/**
 * @param {{ api: ReturnType<import('../api.js').createApi>, templates: Array<{ name: string, description: string, parameters: Record<string, object>, example: Record<string, unknown> }>, onCreated: (offering: object) => void }} options
 */
export function offeringForm({ api, templates, onCreated }) {
  const byName = new Map(templates.map((t) => [t.name, t]));
  const params = h('fieldset', { class: 'params' });
  const templateField = field({ label: 'Contract template', name: 'template', tag: 'select', required: true, path: 'policy', options: templates.map((t) => [t.name, t.name]) });
  const templateHelp = h('p', { class: 'hint', id: 'template-description', 'aria-live': 'polite' });
  const select = templateField.querySelector('select');
  const drawParameters = () => {
    const template = byName.get(select.value);
    replace(templateHelp, template?.description ?? '');
    const entries = Object.entries(template?.parameters ?? {});
    replace(params, h('legend', null, 'Template parameters'), entries.length === 0 ? h('p', { class: 'muted' }, 'This template takes no parameters.') : entries.map(([name, spec]) => parameterField(name, spec, template.example?.[name])));
  };
  select.addEventListener('change', drawParameters);
  select.setAttribute('aria-describedby', 'template-description');
  drawParameters();

  const form = h(
    'form',
    { class: 'card', 'aria-labelledby': 'register-heading' },
    h('h2', { id: 'register-heading' }, 'Register an offering'),
    h('fieldset', null, h('legend', null, 'Dataset'),
      field({ label: 'Title', name: 'title', required: true, maxlength: '300' }),
      field({ label: 'Description', name: 'description', tag: 'textarea', rows: '3', maxlength: '5000' }),
      field({ label: 'Keywords', name: 'keywords', hint: 'Separated by commas, e.g. health, admissions' }),
      field({ label: 'Formats', name: 'formats', required: true, value: 'HttpData-PULL', hint: 'Transfer formats, separated by commas' })),
    h('fieldset', null, h('legend', null, 'Policy'), templateField, templateHelp, params),
    h('fieldset', null, h('legend', null, 'Classification and protection'),
      field({ label: 'Classification', name: 'classification', required: true, value: 'OFFICIAL', hint: "A label of this partner's classification scheme (its jurisdiction profile); SECRET and above are never offered." }),
      field({ label: 'Holds personal data', name: 'personalData', type: 'checkbox' }),
      field({ label: 'Anonymisation declaration', name: 'declarationRef', path: 'anonymisation', hint: 'For templates with an anonymise duty: the declaration file of quasi-identifiers and hierarchies, e.g. data/hospital-episodes.anonymisation.json' })),
    h('fieldset', null, h('legend', null, 'Data source'),
      field({ label: 'Source type', name: 'sourceType', tag: 'select', path: 'dataSource.type', options: [['file', 'file']] }),
      field({ label: 'Source reference', name: 'sourceReference', path: 'dataSource.reference', required: true, hint: 'Where the data plane reads the data, e.g. data/hospital-episodes.csv' })),
    h('button', { type: 'submit', class: 'primary' }, 'Register offering'),
  );
  onSubmit(form, async () => {
    const created = await api.post('/offerings', offeringBody(form, byName.get(select.value)));
    form.reset();
    drawParameters();
    onCreated(created);
  });
  return form;
}
