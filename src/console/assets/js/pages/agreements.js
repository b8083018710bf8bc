/**
 * Agreements: every contract this connector holds (GET /api/agreements), with its terms in
 * words, its parties and both signatures — ours made by this connector's kms, the
 * counterparty's verified when it arrived — and a button that has the API check both
 * signatures again now. A consumer's agreement can start a transfer from here.
 */
import { code, h, replace } from '../dom.js';
import { onSubmit } from '../forms.js';
import { pageHeading } from '../layout.js';
import { agreementView } from './process-view.js';
import { transferAction } from './transfers.js';

function agreementItem(context, held) {
  const view = h('div', null, agreementView(held));
  const verify = h('form', { class: 'inline-form', 'aria-label': `Verify the signatures of ${held.id}` }, h('button', { type: 'submit' }, 'Verify signatures'));
  const outcome = h('p', { 'aria-live': 'polite' });
  onSubmit(verify, async () => {
    const verification = await context.api.post(`/agreements/${encodeURIComponent(held.id)}/verify`, {});
    replace(view, agreementView({ ...held, verification }));
    replace(outcome, verification.verified ? 'Both signatures verify.' : 'A signature does not verify: see the table.');
  });
  return h(
    'li',
    null,
    h('h2', null, `${held.role === 'provider' ? 'We provide' : 'We receive'} `, code(held.target)),
    h('p', null, held.role === 'provider' ? 'To ' : 'From ', code(held.counterpartyDid), ' · ', h('a', { href: `#/negotiations/${encodeURIComponent(held.negotiationId)}` }, 'the negotiation')),
    view,
    verify,
    outcome,
    held.role === 'consumer' ? transferAction(context, held.id) : null,
  );
}

export const agreementsPage = {
  path: 'agreements',
  title: 'Agreements',
  roles: ['admin', 'researcher'],
  async render(context) {
    const page = await context.api.get('/agreements', { limit: 200 });
    return [
      ...pageHeading('Agreements', 'Contracts concluded with partners, signed by both sides.'),
      page.items.length === 0 ? h('p', { class: 'empty' }, 'No agreement yet.') : h('ul', { class: 'results' }, page.items.map((held) => agreementItem(context, held))),
    ];
  },
};
