/**
 * `sovc catalog search [QUERY] [--nation] [--classification] [--purpose] [--template] [--page N]`:
 * searches our connector's index of partners' catalogues (the last good copy of each, which its
 * provider already limited to the offers our claims could satisfy), and says which partners
 * could not be reached or are stale. `sovc catalog refresh` crawls every partner now.
 */
import type { Command } from 'commander';
import type { CrawlReport, FederatedSearchResult } from '../../catalog/federated/index.js';
import { managementClient, processIo, targetOptions, type CliIo, type ManagementTarget } from '../management-client.js';
import { renderTable } from '../table.js';

export interface SearchOptions extends ManagementTarget {
  nation?: string;
  classification?: string;
  purpose?: string;
  template?: string;
  page?: string;
  pageSize?: string;
}

function partnerLines(result: FederatedSearchResult): string[] {
  const lines = result.unreachable.map((p) => `unreachable: ${p.legalName} (${p.did}) ${p.error?.code ?? ''}: ${p.error?.detail ?? ''}; last good copy ${p.crawledAt ?? 'none'}`);
  const staleOnly = result.partners.filter((p) => p.stale && p.status === 'ok');
  lines.push(...staleOnly.map((p) => `stale: ${p.legalName} (${p.did}), copy of ${p.crawledAt ?? 'never'}`));
  return lines;
}

export function searchTable(result: FederatedSearchResult): string {
  const rows = result.items.flatMap((hit) =>
    hit.offers.map((offer) => [
      hit.dataset.title + (hit.stale ? ' (stale)' : ''),
      hit.partner.nation ?? '?',
      hit.dataset.classification ?? '',
      offer.template ?? 'custom',
      offer.purposes.join(',') || 'any',
      hit.dataset.id,
      offer.id,
      hit.partner.did,
    ]),
  );
  const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
  return [
    renderTable(['TITLE', 'NATION', 'CLASSIFICATION', 'TEMPLATE', 'PURPOSE', 'DATASET', 'OFFER', 'PARTNER'], rows),
    `page ${result.page} of ${pages} (${result.total} datasets); offers shown are those each provider lets this connector see`,
    ...partnerLines(result),
  ].join('\n');
}

function searchPath(query: string | undefined, options: SearchOptions): string {
  const params = new URLSearchParams();
  if (query !== undefined && query.trim() !== '') params.set('q', query);
  for (const key of ['nation', 'classification', 'purpose', 'template', 'page', 'pageSize'] as const) {
    const value = options[key];
    if (value !== undefined) params.set(key, value);
  }
  const text = params.toString();
  return `/catalog/federated/search${text === '' ? '' : `?${text}`}`;
}

export async function searchCatalogCommand(query: string | undefined, options: SearchOptions, io: CliIo): Promise<void> {
  const result = await managementClient(options, io)<FederatedSearchResult>('GET', searchPath(query, options));
  io.out(options.json ? JSON.stringify(result, null, 2) : searchTable(result));
}

export function reportTable(report: CrawlReport): string {
  const rows = report.partners.map((p) => [p.did, p.status, String(p.datasets), p.error === undefined ? '' : `${p.error.code}: ${p.error.detail}`]);
  const registrars = report.registrars.filter((r) => !r.reached).map((r) => `registrar unreachable: ${r.did} (${r.error?.detail ?? ''})`);
  return [renderTable(['PARTNER', 'STATUS', 'DATASETS', 'ERROR'], rows), ...registrars].join('\n');
}

export async function refreshCatalogCommand(options: ManagementTarget, io: CliIo): Promise<void> {
  const report = await managementClient(options, io)<CrawlReport>('POST', '/catalog/federated/refresh');
  io.out(options.json ? JSON.stringify(report, null, 2) : reportTable(report));
}

/** Adds `search` and `refresh` to the `catalog` command (created here when `catalog fetch` is not registered). */
export function register(program: Command, io: CliIo = processIo): void {
  const catalog = program.commands.find((command) => command.name() === 'catalog') ?? program.command('catalog').description("Partners' DSP catalogues");
  targetOptions(catalog.command('search').description("Search our index of partners' catalogues").argument('[query]', 'words to find in titles, keywords and descriptions'))
    .option('--nation <code>', "the partner's nation, e.g. UK")
    .option('--classification <label>', "the provider's classification label, e.g. OFFICIAL")
    .option('--purpose <purpose>', 'only offers usable for this purpose, e.g. research')
    .option('--template <name>', 'only offers made from this contract template (or naming this licence)')
    .option('--page <n>', 'page number, from 1')
    .option('--page-size <n>', 'results per page, 1..100')
    .action((query: string | undefined, options: SearchOptions) => searchCatalogCommand(query, options, io));
  targetOptions(catalog.command('refresh').description("Crawl every partner's catalogue now (admin)"))
    .action((options: ManagementTarget) => refreshCatalogCommand(options, io));
}
