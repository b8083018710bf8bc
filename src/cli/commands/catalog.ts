/**
 * `sovc catalog fetch DID|URL`: one page of a partner's DSP catalogue, asked for by our own
 * connector (so the partner sees our identity and shows only the offers we could satisfy).
 */
import type { Command } from 'commander';
import type { Catalog, Dataset } from '../../dsp/index.js';
import { managementClient, processIo, targetOptions, type CliIo, type ManagementTarget } from '../management-client.js';
import { renderTable } from '../table.js';

interface CatalogPage {
  peer: { did: string; dspBase: string };
  catalog: Catalog;
  next?: string;
}

function datasetsOf(catalog: Catalog): Dataset[] {
  return [...(catalog.dataset ?? []), ...(catalog.catalog ?? []).flatMap(datasetsOf)];
}

export function catalogTable(page: CatalogPage): string {
  const rows = datasetsOf(page.catalog).flatMap((dataset) =>
    [dataset.hasPolicy].flat().map((offer) => [dataset['@id'], String(dataset['dct:title'] ?? dataset['title'] ?? ''), offer['@id']]),
  );
  const lines = [`${page.peer.did} (${page.peer.dspBase})`, renderTable(['DATASET', 'TITLE', 'OFFER'], rows)];
  if (page.next !== undefined) lines.push(`more: add --cursor '${page.next}'`);
  return lines.join('\n');
}

export async function fetchCatalogCommand(partner: string, options: ManagementTarget & { cursor?: string }, io: CliIo): Promise<void> {
  const request = managementClient(options, io);
  const ref = partner.startsWith('did:') ? { did: partner } : { url: partner };
  const page = await request<CatalogPage>('POST', '/catalog/fetch', { ...ref, ...(options.cursor === undefined ? {} : { cursor: options.cursor }) });
  io.out(options.json ? JSON.stringify(page, null, 2) : catalogTable(page));
}

export function register(program: Command, io: CliIo = processIo): void {
  const catalog = program.command('catalog').description("Partners' DSP catalogues, fetched by our connector");
  targetOptions(catalog.command('fetch').description("Fetch a partner's catalogue by its DID or URL").argument('<partner>', 'a DID (did:web:…) or a connector URL'))
    .option('--cursor <next>', 'the next-page link of a previous page')
    .action((partner: string, options: ManagementTarget & { cursor?: string }) => fetchCatalogCommand(partner, options, io));
}
