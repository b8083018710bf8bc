/**
 * Searching the federation (GET /api/catalog/federated/search): this connector's index of the
 * last good copy of every partner's catalogue — each already filtered by its provider to the
 * offers our claims could satisfy — by words, nation, classification, purpose and contract
 * template, page by page, with the partners that could not be reached or whose copy is stale
 * named. Admins can have the index crawled again now.
 */
import { badge, code, h, replace, table, when } from '../dom.js';
import { field, onSubmit } from '../forms.js';
import { errorBlock, notify } from '../layout.js';
import { foundList } from './catalogue-results.js';

const PAGE_SIZE = 20;

function foundOf(hit) {
  const { partner, dataset } = hit;
  return {
    partner: { did: partner.did, name: partner.legalName, nation: partner.nation },
    dataset: { ...dataset, keywords: dataset.keywords ?? [], formats: dataset.formats ?? [] },
    offers: hit.offers.map((offer) => offer.policy),
    stale: hit.stale,
  };
}

function partnersView(result) {
  const problems = result.unreachable.length + result.stale.length;
  return h(
    'details',
    { open: problems > 0 },
    h('summary', null, `${result.partners.length} partner${result.partners.length === 1 ? '' : 's'} in the index`, problems > 0 ? ` — ${result.unreachable.length} unreachable, ${result.stale.length} out of date` : ''),
    table({
      caption: 'Partners whose catalogues are searched',
      columns: ['Partner', 'Nation', 'Last crawl', 'Copy from', 'Datasets', 'Problem'],
      rows: result.partners.map((p) => [
        h('span', null, p.legalName, h('br'), code(p.did)),
        p.nation ?? '—',
        p.status === 'ok' ? badge(p.stale ? 'ok, stale' : 'ok', p.stale ? 'warn' : 'good') : badge('unreachable', 'bad'),
        when(p.crawledAt),
        String(p.datasets),
        p.error ? `${p.error.detail} (${p.error.code})` : '',
      ]),
      empty: 'No partner is in the index yet.',
    }),
  );
}

function searchForm(templates) {
  return h(
    'form',
    { class: 'card', 'aria-label': 'Search the federation' },
    h('div', { class: 'inline-form' },
      field({ label: 'Words', name: 'q', type: 'search', maxlength: '500', hint: 'All must match a title, keyword or description; prefixes count' }),
      field({ label: 'Nation', name: 'nation', pattern: '[A-Za-z]{2,8}', placeholder: 'UK', hint: "The provider's nation" }),
      field({ label: 'Classification', name: 'classification', maxlength: '100', placeholder: 'OFFICIAL' }),
      field({ label: 'Purpose', name: 'purpose', maxlength: '100', placeholder: 'research', hint: 'Only offers usable for it' }),
      field({ label: 'Contract template', name: 'template', tag: 'select', options: [['', 'any template'], ...templates.map((t) => [t.name, t.name])] })),
    h('button', { type: 'submit', class: 'primary' }, 'Search'),
  );
}

export function federatedSearch(context, templates) {
  const form = searchForm(templates);
  const results = h('div', { id: 'federated-results' });
  let query = {};
  const show = async (page) => {
    const result = await context.api.get('/catalog/federated/search', { ...query, page, pageSize: PAGE_SIZE });
    const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
    const pager = h('nav', { 'aria-label': 'Result pages', class: 'actions' },
      result.page > 1 ? h('button', { type: 'button', onclick: () => show(result.page - 1) }, 'Previous page') : null,
      h('span', null, `Page ${result.page} of ${pages}`),
      result.page < pages ? h('button', { type: 'button', onclick: () => show(result.page + 1) }, 'Next page') : null);
    replace(results, partnersView(result), foundList(context, result.items.map(foundOf), `${result.total} dataset${result.total === 1 ? '' : 's'} found across the federation.`), pages > 1 ? pager : null);
  };
  onSubmit(form, async () => {
    const value = (name) => form.elements.namedItem(name).value.trim();
    query = Object.fromEntries(['q', 'nation', 'classification', 'purpose', 'template'].map((name) => [name, value(name)]).filter(([, v]) => v !== ''));
    await show(1);
  });
  const refresh = h('form', { class: 'inline-form', 'aria-label': 'Refresh the federated index' }, h('button', { type: 'submit' }, 'Crawl every partner now'));
  onSubmit(refresh, async () => {
    const report = await context.api.post('/catalog/federated/refresh', {});
    const failed = report.partners.filter((p) => p.error !== undefined || p.status === 'failed').length;
    notify(`Crawled ${report.partners.length} partners${failed > 0 ? `, ${failed} failed` : ''}.`);
    await show(1);
  });
  // A first page straight away; an index that cannot answer says why where the results go.
  const ready = show(1).catch((error) => replace(results, errorBlock(error)));
  return { nodes: [form, context.role === 'admin' ? refresh : null, results], ready };
}
