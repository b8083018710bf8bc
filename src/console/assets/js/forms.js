/* global HTMLInputElement, HTMLSelectElement, HTMLTextAreaElement */
/**
 * Forms that say what is wrong: browser constraint checks first (required, pattern, ranges),
 * then the API's own verdict. Either way an error summary (role="alert", focused) lists each
 * problem and each field at fault is marked aria-invalid with its message beside it, the
 * pattern of the GOV.UK error summary. The API's problem+json `detail` is shown word for word.
 */
import { ApiError } from './api.js';
import { h, replace } from './dom.js';

let fieldCount = 0;

/**
 * A labelled input (or select / textarea with `tag`), a hint and a slot for its error.
 * `path` is the API's name for the field in validation issues (default: `name`).
 */
export function field({ label, name, tag = 'input', hint, path, options, ...attrs }) {
  fieldCount += 1;
  const id = `f${fieldCount}-${name}`;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = `${id}-error`;
  const control =
    tag === 'select'
      ? h('select', { id, name, 'data-path': path ?? name, 'aria-describedby': hintId, ...attrs }, (options ?? []).map(([value, text]) => h('option', { value }, text)))
      : h(tag, { id, name, 'data-path': path ?? name, 'aria-describedby': hintId, ...attrs });
  const isCheck = attrs.type === 'checkbox';
  return h(
    'div',
    { class: isCheck ? 'field field-check' : 'field' },
    isCheck ? [control, h('label', { for: id }, label)] : [h('label', { for: id }, label), control],
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    h('p', { class: 'field-error', id: errorId, hidden: true }),
  );
}

function controlsOf(form) {
  return [...form.elements].filter((el) => el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement);
}

function summaryOf(form) {
  let summary = form.querySelector(':scope > .form-error');
  if (!summary) {
    summary = h('div', { class: 'form-error', role: 'alert', tabindex: '-1', hidden: true });
    const heading = form.querySelector(':scope > h2');
    if (heading) heading.after(summary);
    else form.prepend(summary);
  }
  return summary;
}

function markField(control, message) {
  const slot = control.closest('.field')?.querySelector('.field-error');
  control.setAttribute('aria-invalid', 'true');
  if (!slot) return;
  replace(slot, message);
  slot.hidden = false;
  const described = new Set((control.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean));
  described.add(slot.id);
  control.setAttribute('aria-describedby', [...described].join(' '));
}

export function clearFormError(form) {
  const summary = summaryOf(form);
  summary.hidden = true;
  summary.replaceChildren();
  for (const control of controlsOf(form)) {
    control.removeAttribute('aria-invalid');
    const slot = control.closest('.field')?.querySelector('.field-error');
    if (slot) slot.hidden = true;
  }
}

/**
 * Shows `problems` ({ path?, message }) under a heading and detail; marks the fields whose
 * `data-path` (or a parent path of it) the problem names.
 */
export function showFormError(form, { title, detail, problems = [] }) {
  clearFormError(form);
  const summary = summaryOf(form);
  const controls = controlsOf(form);
  const items = problems.map(({ path, message }) => {
    const control = path ? controls.find((c) => c.dataset.path === path || path.startsWith(`${c.dataset.path}.`)) : undefined;
    if (control) markField(control, message);
    const label = control ? form.querySelector(`label[for="${control.id}"]`)?.textContent : path;
    return h('li', null, label ? `${label}: ${message}` : message);
  });
  replace(summary, h('h3', null, title), detail ? h('p', { class: 'problem-detail' }, detail) : null, items.length > 0 ? h('ul', null, items) : null);
  summary.hidden = false;
  summary.focus();
}

/** Browser constraint validation, reported in the same summary. */
export function checkForm(form) {
  const invalid = controlsOf(form).filter((control) => !control.checkValidity());
  if (invalid.length === 0) return true;
  showFormError(form, {
    title: 'Please correct the form',
    problems: invalid.map((control) => ({ path: control.dataset.path, message: control.validationMessage })),
  });
  return false;
}

/**
 * Wires a form's submit: browser checks, then `action(form)` with the submit button disabled;
 * an ApiError is shown with the API's detail and issues. Resolves to the action's value or undefined.
 */
export function onSubmit(form, action) {
  form.noValidate = true;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!checkForm(form)) return;
    clearFormError(form);
    const buttons = form.querySelectorAll('button[type="submit"]');
    for (const button of buttons) button.disabled = true;
    form.setAttribute('aria-busy', 'true');
    try {
      await action(form);
    } catch (error) {
      showApiError(form, error);
    } finally {
      for (const button of buttons) button.disabled = false;
      form.removeAttribute('aria-busy');
    }
  });
  return form;
}

export function showApiError(form, error) {
  if (!(error instanceof ApiError)) throw error;
  showFormError(form, { title: error.title, detail: error.detail, problems: error.issues.filter((issue) => issue.path !== '(root)') });
}
