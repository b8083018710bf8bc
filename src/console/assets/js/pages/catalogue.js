/* global sessionStorage */
/**
 * Catalogue search: the DSP catalogues of one or more partners, fetched through this
 * connector (POST /api/catalog/fetch, every page), each showing only the offers the partner
 * lets us see, then filtered by text, keyword, format and classification. Each offer is shown
 * in words with a Request button that starts a contract negotiation for it.
 */
import { ApiError } from '../api.js';
import { code, h, replace } from '../dom.js';
import { field, onSubmit } from '../forms.js';
import { notify, pageHeading } from '../layout.js';
import { policyList } from '../odrl.js';

const PARTNERS_KEY = 'sovc.console.partners';
const CLASSIFICATION = 'https://w3id.org/sovereign-connector/vocab#classification';
const MAX_PAGES = 20;

function many(value) {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function textOf(value) {
  if (value && typeof value === 'object') return String(value['@value'] ?? '');
  return value === undefined ? '' : String(value);
}

/** Partners named by DID or URL, one per line or separated by commas. */
function partnersOf(raw) {
  return [...new Set(raw.split(/[\s,]+/).map((p) => p.trim()).filter(Boolean))];
}

function datasetsOf(catalog) {
  return [...many(catalog.dataset), ...many(catalog.catalog).flatMap(datasetsOf)];
}

/** Every page of one partner's catalogue, as { partner, peer, datasets } or { partner, error }. */
async function fetchPartner(api, partner) {
  const target = partner.startsWith('did:') ? { did: partner } : { url: partner };
  const datasets = [];
  let cursor;
  let peer;
  try {
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const answer = await api.post('/catalog/fetch', { ...target, ...(cursor ? { cursor } : {}) });
      peer = answer.peer;
      datasets.push(...datasetsOf(answer.catalog));
      cursor = answer.next;
      if (!cursor) break;
    }
    return { partner, peer, datasets };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return { partner, error };
  }
}

function matches(dataset, filters) {
  const title = textOf(dataset['dct:title']);
  const description = textOf(dataset['dct:description']);
  const keywords = many(dataset['dcat:keyword']).map(textOf);
  const formats = many(dataset.distribution).map((d) => d.format);
  const haystack = [title, description, ...keywords].join(' ').toLowerCase();
  if (filters.text && !filters.text.toLowerCase().split(/\s+/).every((word) => haystack.includes(word))) return false;
  if (filters.keyword && !keywords.some((k) => k.toLowerCase() === filters.keyword.toLowerCase())) return false;
  if (filters.format && !formats.includes(filters.format)) return false;
  if (filters.classification && textOf(dataset[CLASSIFICATION]).toLowerCase() !== filters.classification.toLowerCase()) return false;
  return true;
}

function offerView(context, peer, dataset, offer) {
  const button = h('button', { type: 'submit', class: 'primary', 'aria-label': `Request ${textOf(dataset['dct:title'])} under offer ${offer['@id']}` }, 'Request');
  const form = h('form', { class: 'offer' }, policyList(offer), button);
  onSubmit(form, async () => {
    const negotiation = await context.api.post('/negotiations', { providerDid: peer.did, offerId: offer['@id'], datasetId: dataset['@id'] });
    notify('Request sent.');
    context.navigate(`#/negotiations/${encodeURIComponent(negotiation.id)}`);
  });
  return h('li', null, h('p', null, 'Offer ', code(offer['@id'])), form);
}

function datasetView(context, peer, dataset) {
  const keywords = many(dataset['dcat:keyword']).map(textOf);
  return h(
    'li',
    null,
    h('h3', null, textOf(dataset['dct:title']) || dataset['@id']),
    h('p', { class: 'muted' }, 'From ', code(peer.did), ' · ', code(dataset['@id'])),
    dataset['dct:description'] ? h('p', null, textOf(dataset['dct:description'])) : null,
    h('p', null,
      `Classification: ${textOf(dataset[CLASSIFICATION]) || 'not stated'} · Formats: ${many(dataset.distribution).map((d) => d.format).join(', ') || '—'}`,
      keywords.length > 0 ? ` · Keywords: ${keywords.join(', ')}` : ''),
    h('ul', { class: 'offers' }, many(dataset.hasPolicy).map((offer) => offerView(context, peer, dataset, offer))),
  );
}

function resultsView(context, fetched, filters) {
  const failures = fetched.filter((f) => f.error);
  const found = fetched.flatMap((f) => (f.error ? [] : f.datasets.filter((d) => matches(d, filters)).map((d) => ({ peer: f.peer, dataset: d }))));
  return [
    h('p', { role: 'status' }, `${found.length} dataset${found.length === 1 ? '' : 's'} found in ${fetched.length - failures.length} of ${fetched.length} catalogue${fetched.length === 1 ? '' : 's'}.`),
    failures.map((f) => h('div', { class: 'form-error' }, h('h3', null, `${f.partner}: ${f.error.title}`), h('p', { class: 'problem-detail' }, f.error.detail))),
    found.length > 0 ? h('ul', { class: 'results' }, found.map(({ peer, dataset }) => datasetView(context, peer, dataset))) : null,
  ];
}

function searchForm(remembered) {
  return h(
    'form',
    { class: 'card', 'aria-label': 'Search catalogues' },
    field({ label: 'Partners', name: 'partners', tag: 'textarea', rows: '2', required: true, path: 'did', value: remembered, hint: 'DIDs (did:web:…) or DSP endpoint URLs of the partners to search, separated by spaces, commas or lines' }),
    h('div', { class: 'inline-form' },
      field({ label: 'Text', name: 'text', type: 'search', hint: 'Words in the title, description or keywords' }),
      field({ label: 'Keyword', name: 'keyword' }),
      field({ label: 'Format', name: 'format', placeholder: 'HttpData-PULL' }),
      field({ label: 'Classification', name: 'classification', placeholder: 'OFFICIAL' })),
    h('button', { type: 'submit', class: 'primary' }, 'Search'),
  );
}

export const cataloguePage = {
  path: 'catalogue',
  title: 'Catalogue',
  roles: ['admin', 'researcher'],
  async render(context) {
    const known = await context.api.get('/negotiations', { limit: 100 });
    const remembered = sessionStorage.getItem(PARTNERS_KEY) ?? [...new Set(known.items.map((n) => n.counterpartyDid))].join('\n');
    const form = searchForm(remembered);
    const results = h('div', { id: 'catalogue-results' });
    onSubmit(form, async () => {
      const value = (name) => form.elements.namedItem(name).value.trim();
      const partners = partnersOf(value('partners'));
      sessionStorage.setItem(PARTNERS_KEY, partners.join('\n'));
      replace(results, h('p', { class: 'muted' }, `Searching ${partners.length} catalogue${partners.length === 1 ? '' : 's'}…`));
      const fetched = await Promise.all(partners.map((partner) => fetchPartner(context.api, partner)));
      replace(results, resultsView(context, fetched, { text: value('text'), keyword: value('keyword'), format: value('format'), classification: value('classification') }));
    });
    return [...pageHeading('Catalogue', "Find datasets in partners' catalogues and request them."), form, results];
  },
};

