/* global document */
/**
 * The pieces every page is made of: one <h1> per page (focused after navigation so screen
 * readers announce it), titled sections, a polite status notice, and an error block that shows
 * the API's problem detail when a page cannot load its data.
 */
import { ApiError } from './api.js';
import { h, replace } from './dom.js';

export function pageHeading(title, intro) {
  return [h('h1', { tabindex: '-1', id: 'page-title' }, title), intro ? h('p', { class: 'intro' }, intro) : null];
}

let sectionCount = 0;

/** A <section> labelled by its own heading. */
export function section(title, ...children) {
  sectionCount += 1;
  const id = `s${sectionCount}`;
  return h('section', { 'aria-labelledby': id }, h('h2', { id }, title), children);
}

/** A panel that says what failed, in the API's words. */
export function errorBlock(error) {
  const title = error instanceof ApiError ? error.title : 'Something went wrong';
  const detail = error instanceof ApiError ? error.detail : String(error?.message ?? error);
  return h('div', { class: 'form-error', role: 'alert' }, h('h3', null, title), h('p', { class: 'problem-detail' }, detail));
}

let noticeTimer;

/** Announces `text` in the page's polite live region, shown for a few seconds. */
export function notify(text) {
  const region = document.getElementById('notice');
  if (!region) return;
  replace(region, text);
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => region.replaceChildren(), 6000);
}

/** A slot whose content is replaced as data arrives (aria-live when `live`). */
export function slot(props = {}, ...initial) {
  return h('div', props, initial.length > 0 ? initial : h('p', { class: 'muted' }, 'Loading…'));
}

/** Saves a Blob under `name` through a temporary link (no inline script, CSP-safe). */
export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
