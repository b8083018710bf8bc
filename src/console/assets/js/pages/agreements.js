/**
 * Agreements: every concluded contract (a FINALIZED negotiation) with its terms in words, its
 * parties and both parties' signatures — ours made by this connector's kms, the counterparty's
 * verified against its DID document when it arrived.
 */
import { code, h } from '../dom.js';
import { pageHeading } from '../layout.js';
import { agreementView } from './process-view.js';

export const agreementsPage = {
  path: 'agreements',
  title: 'Agreements',
  roles: ['admin', 'researcher'],
  async render({ api }) {
    const page = await api.get('/negotiations', { state: 'FINALIZED', limit: 200 });
    const concluded = page.items.filter((n) => n.agreement);
    return [
      ...pageHeading('Agreements', 'Contracts concluded with partners, signed by both sides.'),
      concluded.length === 0
        ? h('p', { class: 'empty' }, 'No agreement yet.')
        : h('ul', { class: 'results' }, concluded.map((n) => h('li', null,
            h('h2', null, `${n.role === 'provider' ? 'We provide' : 'We receive'} `, code(n.agreement.target)),
            h('p', null, h('a', { href: `#/negotiations/${encodeURIComponent(n.id)}` }, 'The negotiation')),
            agreementView(n)))),
    ];
  },
};
