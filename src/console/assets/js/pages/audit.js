/* global Blob */
/**
 * Audit (admin): the hash-chained log, searchable by event type, actor, subject and period,
 * with the chain's verification — every hash link and checkpoint signature checked by the API
 * — shown for the whole log and per entry: signed (covered by a verified checkpoint), linked
 * (hash-linked, awaiting its checkpoint) or at fault.
 */
import { badge, code, h, replace, table, when } from '../dom.js';
import { field, onSubmit } from '../forms.js';
import { pageHeading, section } from '../layout.js';

/** Event types, from the API's own OpenAPI document (the `type` query parameter's enum). */
async function eventTypes(api) {
  const document = await api.get('/openapi.json');
  const parameters = document.paths?.['/api/audit']?.get?.parameters ?? [];
  return parameters.find((p) => p.name === 'type')?.schema?.enum ?? [];
}

function verificationView(v) {
  const first = v.firstProblem;
  return h(
    'div',
    { id: 'audit-verification', class: `decision${v.verified ? ' permitted' : ''}` },
    h('p', null, 'Chain: ', v.verified ? badge('verified', 'good') : badge('broken', 'bad'), ` — ${v.entries} entries, ${v.checkpoints} signed checkpoints, signed through entry ${v.signedThrough}.`),
    first ? h('p', { role: 'alert' }, `First problem at entry ${first.seq} (${first.kind}): ${first.detail}`) : null,
  );
}

function entryStatus(entry, verification) {
  const problem = verification.problems.find((p) => p.seq === entry.seq);
  if (problem) return badge(`fault: ${problem.kind}`, 'bad');
  return entry.seq <= verification.signedThrough ? badge('signed', 'good') : badge('linked', 'neutral');
}

function entryRows(entries, verification) {
  return entries.map((e) => [
    String(e.seq),
    when(e.time),
    e.type,
    code(e.actor),
    e.subjects.map((s) => code(s)).flatMap((node, i) => (i === 0 ? [node] : [h('br'), node])),
    h('details', null, h('summary', null, 'details'), h('pre', null, JSON.stringify(e.details, null, 2)), e.digest ? h('p', null, 'digest ', code(e.digest)) : null),
    entryStatus(e, verification),
  ]);
}

function searchForm(types) {
  return h(
    'form',
    { class: 'card', 'aria-label': 'Search the audit log' },
    h('div', { class: 'inline-form' },
      field({ label: 'Event type', name: 'type', tag: 'select', options: [['', 'any type'], ...types.map((t) => [t, t])] }),
      field({ label: 'Actor', name: 'actor', maxlength: '512' }),
      field({ label: 'Subject', name: 'subject', maxlength: '512', hint: 'A DID, dataset, agreement or process id' }),
      field({ label: 'Since', name: 'since', type: 'date' }),
      field({ label: 'Until', name: 'until', type: 'date' })),
    h('button', { type: 'submit', class: 'primary' }, 'Search'),
  );
}

/** A download link for text the API returned (the browser saves it; nothing is fetched again). */
function downloadLink(text, type, filename, label) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  return h('a', { href: url, download: filename, class: 'button' }, label);
}

/** The signed compliance evidence pack of a period (issue 5), as JSON (a verifiable credential) and HTML. */
function complianceForm(api) {
  const links = h('p', { id: 'compliance-downloads', 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'card', 'aria-label': 'Compliance report' },
    h('div', { class: 'inline-form' },
      field({ label: 'Since', name: 'since', type: 'date', required: true, hint: 'Start of the period the auditors asked about' }),
      field({ label: 'Partner', name: 'partner', maxlength: '500', hint: 'Optional: a partner code (e.g. ca) or DID' })),
    h('button', { type: 'submit', class: 'primary' }, 'Make the report'),
  );
  onSubmit(form, async () => {
    const value = (name) => form.elements.namedItem(name).value.trim();
    const report = await api.get('/compliance/report', { since: value('since'), partner: value('partner') });
    const day = value('since');
    replace(links,
      downloadLink(JSON.stringify(report.credential, null, 2), 'application/json', `compliance-${day}.json`, 'Download the signed pack (JSON)'),
      ' ',
      downloadLink(report.html, 'text/html', `compliance-${day}.html`, 'Download the readable report (HTML)'));
  });
  return [form, links];
}

export const auditPage = {
  path: 'audit',
  title: 'Audit',
  roles: ['admin'],
  async render({ api }) {
    const [types, verification] = await Promise.all([eventTypes(api), api.get('/audit/verify')]);
    const results = h('div', { id: 'audit-results' });
    const form = searchForm(types);
    let query = {};
    let entries = [];
    const show = async (cursor) => {
      const page = await api.get('/audit', { ...query, limit: 50, cursor });
      entries = cursor ? [...entries, ...page.entries] : page.entries;
      const more = page.nextCursor ? h('button', { type: 'button', onclick: () => show(page.nextCursor) }, 'Older entries') : null;
      replace(results, table({ caption: 'Audit entries, newest first', columns: ['#', 'Time', 'Event', 'Actor', 'Subjects', 'Details', 'Verification'], rows: entryRows(entries, verification), empty: 'No entry matches.' }), more);
    };
    onSubmit(form, async () => {
      const value = (name) => form.elements.namedItem(name).value.trim();
      query = { type: value('type'), actor: value('actor'), subject: value('subject'), since: value('since'), until: value('until') };
      await show();
    });
    await show();
    return [...pageHeading('Audit', 'The append-only, hash-chained record of what this connector did.'), section('Verification', verificationView(verification)), section('Entries', form, results), section('Compliance report', ...complianceForm(api))];
  },
};
