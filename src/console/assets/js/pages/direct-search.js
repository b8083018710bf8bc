/* global sessionStorage */
/**
 * Asking partners directly: the live DSP catalogue of each partner named by DID or URL,
 * fetched through this connector (POST /api/catalog/fetch, every page) — each shows only the
 * offers its policies let us see — then filtered here by text, keyword, format and
 * classification. For partners the federated index does not know yet, or an up-to-the-minute view.
 */
import { ApiError } from '../api.js';
import { h, replace } from '../dom.js';
import { field, onSubmit } from '../forms.js';
import { foundList } from './catalogue-results.js';

const PARTNERS_KEY = 'sovc.console.partners';
const CLASSIFICATION = 'https://w3id.org/sovereign-connector/vocab#classification';
const MAX_PAGES = 20;

const many = (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const textOf = (value) => (value && typeof value === 'object' ? String(value['@value'] ?? '') : value === undefined ? '' : String(value));

function datasetsOf(catalog) {
  return [...many(catalog.dataset), ...many(catalog.catalog).flatMap(datasetsOf)];
}

/** A DCAT Dataset as the console's found item. */
function foundOf(peer, dataset) {
  return {
    partner: { did: peer.did },
    dataset: {
      id: dataset['@id'],
      title: textOf(dataset['dct:title']),
      description: textOf(dataset['dct:description']) || undefined,
      keywords: many(dataset['dcat:keyword']).map(textOf),
      classification: textOf(dataset[CLASSIFICATION]) || undefined,
      formats: many(dataset.distribution).map((d) => d.format),
    },
    offers: many(dataset.hasPolicy),
  };
}

async function fetchPartner(api, partner) {
  const target = partner.startsWith('did:') ? { did: partner } : { url: partner };
  const found = [];
  let cursor;
  try {
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const answer = await api.post('/catalog/fetch', { ...target, ...(cursor ? { cursor } : {}) });
      found.push(...datasetsOf(answer.catalog).map((dataset) => foundOf(answer.peer, dataset)));
      cursor = answer.next;
      if (!cursor) break;
    }
    return { partner, found };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return { partner, error };
  }
}

function matches({ dataset }, filters) {
  const haystack = [dataset.title, dataset.description ?? '', ...dataset.keywords].join(' ').toLowerCase();
  if (filters.text && !filters.text.toLowerCase().split(/\s+/).every((word) => haystack.includes(word))) return false;
  if (filters.keyword && !dataset.keywords.some((k) => k.toLowerCase() === filters.keyword.toLowerCase())) return false;
  if (filters.format && !dataset.formats.includes(filters.format)) return false;
  if (filters.classification && (dataset.classification ?? '').toLowerCase() !== filters.classification.toLowerCase()) return false;
  return true;
}

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function directSearch(context, knownPartners) {
  const form = h(
    'form',
    { class: 'card', 'aria-label': 'Search catalogues' },
    field({ label: 'Partners', name: 'partners', tag: 'textarea', rows: '2', required: true, path: 'did', value: sessionStorage.getItem(PARTNERS_KEY) ?? knownPartners.join('\n'), hint: 'DIDs (did:web:…) or DSP endpoint URLs of the partners to ask, separated by spaces, commas or lines' }),
    h('div', { class: 'inline-form' },
      field({ label: 'Text', name: 'text', type: 'search', hint: 'Words in the title, description or keywords' }),
      field({ label: 'Keyword', name: 'keyword' }),
      field({ label: 'Format', name: 'format', placeholder: 'HttpData-PULL' }),
      field({ label: 'Classification', name: 'classification', placeholder: 'OFFICIAL' })),
    h('button', { type: 'submit', class: 'primary' }, 'Search'),
  );
  const results = h('div', { id: 'catalogue-results' });
  onSubmit(form, async () => {
    const value = (name) => form.elements.namedItem(name).value.trim();
    const partners = [...new Set(value('partners').split(/[\s,]+/).filter(Boolean))];
    sessionStorage.setItem(PARTNERS_KEY, partners.join('\n'));
    replace(results, h('p', { class: 'muted' }, `Asking ${plural(partners.length, 'partner')}…`));
    const fetched = await Promise.all(partners.map((partner) => fetchPartner(context.api, partner)));
    const filters = { text: value('text'), keyword: value('keyword'), format: value('format'), classification: value('classification') };
    const failures = fetched.filter((f) => f.error);
    const found = fetched.flatMap((f) => (f.error ? [] : f.found.filter((item) => matches(item, filters))));
    replace(
      results,
      failures.map((f) => h('div', { class: 'form-error' }, h('h3', null, `${f.partner}: ${f.error.title}`), h('p', { class: 'problem-detail' }, f.error.detail))),
      foundList(context, found, `${plural(found.length, 'dataset')} found in ${fetched.length - failures.length} of ${plural(fetched.length, 'catalogue')}.`),
    );
  });
  return [form, results];
}
