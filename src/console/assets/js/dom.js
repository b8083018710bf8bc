/* global document, Node */
/**
 * Building DOM without HTML strings: every value becomes a text node or an attribute, so data
 * from the API (titles, DIDs, reasons) can never inject markup, and no inline script or style
 * is ever needed (the page runs under a strict Content-Security-Policy).
 */

/**
 * h('button', { type: 'button', onclick: fn }, 'Save') → <button type="button">Save</button>.
 * Props: `class`, `on<event>` listeners, `true`/`false` boolean attributes, `null`/`undefined`
 * skipped. Children: nodes, strings, numbers, nested arrays; `null`/`false` skipped.
 * @param {string} tag
 * @param {Record<string, unknown> | null} [props]
 * @param {...unknown} children
 * @returns {HTMLElement}
 */
export function h(tag, props, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') element.addEventListener(key.slice(2), /** @type {EventListener} */ (value));
    else if (key === 'class') element.className = String(value);
    else if (key === 'value' && 'value' in element) element.value = String(value);
    else if (key === 'checked' && 'checked' in element) element.checked = Boolean(value);
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

/** Appends children (see `h`) to `parent`. */
export function append(parent, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Replaces every child of `parent`. */
export function replace(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

/** A definition list from [term, description] pairs; descriptions may be nodes. */
export function facts(pairs, props = {}) {
  return h('dl', { class: 'facts', ...props }, pairs.flatMap(([term, description]) => [h('dt', null, term), h('dd', null, description ?? '—')]));
}

/**
 * A table with a caption, column headers and rows of cells (strings or nodes).
 * @param {{ caption: string, columns: string[], rows: unknown[][], empty?: string, id?: string }} spec
 */
export function table({ caption, columns, rows, empty = 'Nothing yet.', id }) {
  if (rows.length === 0) return h('p', { class: 'empty', id }, empty);
  return h(
    'div',
    { class: 'table-wrap', id },
    h(
      'table',
      null,
      h('caption', null, caption),
      h('thead', null, h('tr', null, columns.map((column) => h('th', { scope: 'col' }, column)))),
      h('tbody', null, rows.map((cells) => h('tr', null, cells.map((cell) => h('td', null, cell ?? '—'))))),
    ),
  );
}

/** A status badge; `tone` is one of good, bad, warn, neutral (CSS classes), with the text always shown. */
export function badge(text, tone = 'neutral') {
  return h('span', { class: `badge badge-${tone}` }, text);
}

/** A long identifier shown in monospace, with the whole value in a title for hover. */
export function code(text) {
  return h('code', { class: 'ident', title: text }, text);
}

/** ISO instant → local date and time, keeping the ISO value in a <time> element. */
export function when(iso) {
  if (typeof iso !== 'string' || iso === '') return '—';
  const date = new Date(iso);
  return h('time', { datetime: iso }, Number.isNaN(date.getTime()) ? iso : date.toLocaleString());
}
