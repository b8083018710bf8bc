/**
 * One dataset found in a partner's catalogue, however it was found (federated index or a
 * direct catalogue request): title, provider, description, classification, formats and
 * keywords, and each offer in words with a Request button that starts a negotiation
 * (POST /api/negotiations) and opens it.
 */
import { code, h } from '../dom.js';
import { onSubmit } from '../forms.js';
import { notify } from '../layout.js';
import { policyList } from '../odrl.js';

/**
 * @typedef {{ partner: { did: string, name?: string, nation?: string | null }, dataset: { id: string, title: string, description?: string, keywords: string[], classification?: string, formats: string[] }, offers: object[], stale?: boolean }} Found
 */

function offerView(context, found, offer) {
  const form = h(
    'form',
    { class: 'offer', 'aria-label': `Offer ${offer['@id']}` },
    policyList(offer),
    h('button', { type: 'submit', class: 'primary', 'aria-label': `Request ${found.dataset.title} under offer ${offer['@id']}` }, 'Request'),
  );
  onSubmit(form, async () => {
    const negotiation = await context.api.post('/negotiations', { providerDid: found.partner.did, offerId: offer['@id'], datasetId: found.dataset.id });
    notify('Request sent.');
    context.navigate(`#/negotiations/${encodeURIComponent(negotiation.id)}`);
  });
  return h('li', null, h('p', null, 'Offer ', code(offer['@id'])), form);
}

/** @param {Found} found */
export function foundView(context, found) {
  const { partner, dataset } = found;
  const from = partner.name ? [`${partner.name}${partner.nation ? ` (${partner.nation})` : ''} · `, code(partner.did)] : [code(partner.did)];
  return h(
    'li',
    null,
    h('h3', null, dataset.title || dataset.id),
    h('p', { class: 'muted' }, 'From ', from, ' · ', code(dataset.id), found.stale ? ' · from an out-of-date copy of its catalogue' : ''),
    dataset.description ? h('p', null, dataset.description) : null,
    h('p', null,
      `Classification: ${dataset.classification || 'not stated'} · Formats: ${dataset.formats.join(', ') || '—'}`,
      dataset.keywords.length > 0 ? ` · Keywords: ${dataset.keywords.join(', ')}` : ''),
    h('ul', { class: 'offers' }, found.offers.map((offer) => offerView(context, found, offer))),
  );
}

/** A results list with a status line ("2 datasets found …") for screen readers. */
export function foundList(context, found, summary) {
  return [h('p', { role: 'status' }, summary), found.length > 0 ? h('ul', { class: 'results' }, found.map((item) => foundView(context, item))) : null];
}
