/**
 * ODRL offers and agreements in words (ODRL 2.2 IM §2): each permission as "May use", each
 * prohibition as "Must not …", constraints as "purpose is part of sov:purpose/research",
 * duties with their refinements ("anonymize with kAnonymity ≥ 10"). Reads the compacted
 * JSON-LD the DSP catalogue carries; anything it does not recognise is shown as it is.
 */
import { h } from './dom.js';

const operators = {
  eq: '=', neq: '≠', lt: '<', lteq: '≤', gt: '>', gteq: '≥',
  isA: 'is a', isPartOf: 'is part of', isAnyOf: 'is any of', isAllOf: 'is all of', isNoneOf: 'is none of', hasPart: 'has part',
};

function many(value) {
  return value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
}

/** An IRI, literal or value object as short text. */
export function valueText(value) {
  if (Array.isArray(value)) return value.map(valueText).join(', ');
  if (value && typeof value === 'object') {
    if ('@id' in value) return String(value['@id']);
    if ('@value' in value) return String(value['@value']);
    if ('uid' in value) return String(value.uid);
    return JSON.stringify(value);
  }
  return String(value ?? '');
}

function words(term) {
  return valueText(term).replace(/^odrl:/, '');
}

function constraintText(constraint) {
  const logical = ['and', 'or', 'xone', 'andSequence'].find((key) => key in constraint);
  if (logical) return `${logical} (${many(constraint[logical]?.['@list'] ?? constraint[logical]).map(constraintText).join('; ')})`;
  const unit = constraint.unit ? ` ${words(constraint.unit)}` : '';
  return `${words(constraint.leftOperand)} ${operators[constraint.operator] ?? words(constraint.operator)} ${valueText(constraint.rightOperand)}${unit}`;
}

/**
 * Constraints on an `anonymize` duty over the duty-parameter terms are its parameters, not
 * conditions (docs/policy.md): "anonymize with kAnonymity ≥ 10"; other constraints are "when".
 */
const DUTY_PARAMETERS = /(kAnonymity|lDiversity|maxSuppression)$/;

function dutyText(duty) {
  const constraints = many(duty.constraint);
  const parameters = constraints.filter((c) => DUTY_PARAMETERS.test(String(c.leftOperand ?? '')));
  const conditions = constraints.filter((c) => !parameters.includes(c));
  const withText = parameters.length > 0 ? ` with ${parameters.map(constraintText).join(', ')}` : '';
  const whenText = conditions.length > 0 ? ` when ${conditions.map(constraintText).join(' and ')}` : '';
  return `duty: ${actionText(duty.action)}${withText}${whenText}`;
}

/** The action(s) of a rule, each with its refinements. */
function actionText(action) {
  return many(action)
    .map((item) => {
      if (item && typeof item === 'object' && 'rdf:value' in item) {
        const refinements = many(item.refinement).map(constraintText);
        return `${words(item['rdf:value'])}${refinements.length > 0 ? ` with ${refinements.join(', ')}` : ''}`;
      }
      return words(item);
    })
    .join(' or ');
}

function ruleItem(lead, rule) {
  const constraints = many(rule.constraint).map(constraintText);
  const duties = many(rule.duty).map(dutyText);
  const assignee = rule.assignee ? ` (assignee: ${valueText(rule.assignee)})` : '';
  return h(
    'li',
    null,
    `${lead} ${actionText(rule.action)}${assignee}`,
    constraints.length > 0 ? ` — only if ${constraints.join(' and ')}` : '',
    duties.length > 0 ? h('ul', null, duties.map((duty) => h('li', null, duty))) : null,
  );
}

/** A readable list of an offer's or agreement's rules. */
export function policyList(policy) {
  const items = [
    ...many(policy?.permission).map((rule) => ruleItem('May', rule)),
    ...many(policy?.prohibition).map((rule) => ruleItem('Must not', rule)),
    ...many(policy?.obligation).map((rule) => ruleItem('Must', rule)),
  ];
  return items.length > 0 ? h('ul', { class: 'policy' }, items) : h('p', { class: 'muted' }, 'No rules.');
}
