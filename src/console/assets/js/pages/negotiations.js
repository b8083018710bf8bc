/**
 * Negotiations: every contract negotiation this token may see (a researcher sees its own),
 * with its live state, and one negotiation in full — the offer in words, the agreement with
 * both signatures once concluded, the decision report of a refusal, and who terminated it and
 * why. The page polls the API while a process is still moving.
 */
import { code, facts, h, replace, table, when } from '../dom.js';
import { field, onSubmit } from '../forms.js';
import { decisionReport, terminationView } from '../decision.js';
import { notify, pageHeading, section, slot } from '../layout.js';
import { policyList } from '../odrl.js';
import { agreementView, isFinal, liveRecord, stateBadge } from './process-view.js';
import { transferAction } from './transfers.js';

const STATES = ['', 'REQUESTED', 'OFFERED', 'ACCEPTED', 'AGREED', 'VERIFIED', 'FINALIZED', 'TERMINATED'];

function link(negotiation) {
  return h('a', { href: `#/negotiations/${encodeURIComponent(negotiation.id)}` }, code(negotiation.id));
}

function listRows(items) {
  return items.map((n) => [link(n), n.role, code(n.counterpartyDid), code(n.offer?.target ?? '—'), stateBadge(n.state), when(n.updatedAt)]);
}

async function listPage({ api, poll }) {
  const target = h('div', { id: 'negotiation-list' });
  const summary = h('p', { 'aria-live': 'polite', class: 'muted' });
  let state = '';
  let seen = '';
  const refresh = async () => {
    const page = await api.get('/negotiations', { limit: 100, state });
    const mark = JSON.stringify(page.items.map((n) => [n.id, n.version]));
    if (mark !== seen) {
      seen = mark;
      replace(target, table({ caption: 'Contract negotiations, newest first', columns: ['Negotiation', 'Our role', 'Counterparty', 'Dataset', 'State', 'Updated'], rows: listRows(page.items), empty: 'No negotiation yet: request an offer from the catalogue.' }));
      const moving = page.items.filter((n) => !isFinal(n.state)).length;
      replace(summary, `${page.items.length} shown · ${moving} in progress`);
    }
  };
  const filter = h('form', { class: 'inline-form', 'aria-label': 'Filter negotiations' }, field({ label: 'State', name: 'state', tag: 'select', options: STATES.map((s) => [s, s || 'any state']) }), h('button', { type: 'submit' }, 'Filter'));
  onSubmit(filter, async () => {
    state = filter.elements.namedItem('state').value;
    seen = '';
    await refresh();
  });
  await refresh();
  poll(refresh, 1500);
  return [...pageHeading('Negotiations', 'Contract negotiations with partners; states update live.'), filter, summary, target];
}

function terminateForm(api, negotiation) {
  const form = h('form', { class: 'inline-form', 'aria-label': 'Terminate negotiation' }, field({ label: 'Reason sent to the counterparty', name: 'reason', maxlength: '1000' }), h('button', { type: 'submit', class: 'danger' }, 'Terminate'));
  onSubmit(form, async () => {
    const reason = form.elements.namedItem('reason').value.trim();
    await api.post(`/negotiations/${encodeURIComponent(negotiation.id)}/terminate`, reason ? { reason } : {});
    notify('Termination sent.');
  });
  return form;
}

function detailView(context, n) {
  return [
    facts([
      ['State', h('span', { id: 'negotiation-state' }, stateBadge(n.state))],
      ['Our role', n.role],
      ['Counterparty', code(n.counterpartyDid)],
      ['Dataset', code(n.offer?.target ?? '—')],
      ['Offer', code(n.offer?.['@id'] ?? '—')],
      ['Started', when(n.createdAt)],
      ['Updated', when(n.updatedAt)],
    ]),
    n.termination ? terminationView(n.termination, n.role) : null,
    n.decision ? decisionReport(n.decision) : null,
    n.agreement ? [h('h3', null, 'Agreement'), agreementView({ agreement: n.agreement, proofs: n.proofs, role: n.role })] : [h('h3', null, 'Offer'), policyList(n.offer)],
    n.state === 'FINALIZED' && n.role === 'consumer' && n.agreement ? transferAction(context, n.agreement['@id']) : null,
    context.role === 'admin' && !isFinal(n.state) ? terminateForm(context.api, n) : null,
  ];
}

async function detailPage(context) {
  const id = context.params[0];
  const target = slot({ id: 'negotiation-detail' });
  const status = h('p', { class: 'muted', 'aria-live': 'polite', id: 'negotiation-live' });
  await liveRecord({
    poll: context.poll,
    load: () => context.api.get(`/negotiations/${encodeURIComponent(id)}`),
    target,
    draw: (n) => {
      replace(status, `State: ${n.state ?? 'SENDING'}`);
      return detailView(context, n);
    },
  });
  return [...pageHeading('Negotiation'), h('p', null, h('a', { href: '#/negotiations' }, '← All negotiations')), code(id), status, section('Details', target)];
}

export const negotiationsPage = {
  path: 'negotiations',
  title: 'Negotiations',
  roles: ['admin', 'researcher'],
  render: (context) => (context.params[0] ? detailPage(context) : listPage(context)),
};
