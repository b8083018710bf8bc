/**
 * `sovc dataset add FILE --offering ID | export ID --out FILE | shred ID | list`, on a running
 * connector through its management API, or on a stopped one opened in this process
 * (src/cli/partner-connector.ts); the output is the same either way. `add` streams the file,
 * encrypting it once under a fresh data key; the clear file is never copied. `export` writes
 * the plaintext to `FILE.partial` and renames it only once the whole stream arrived and its
 * digest and signature verified (a connector cuts the stream on any failure after the first
 * byte); owner-held data asks its owner for a one-time key release.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { DomainError, fail } from '../../errors/index.js';
import type { DatasetView } from '../../http/management/index.js';
import { datasetsHere, datasetsThroughApi, type DatasetAccess } from '../dataset-access.js';
import { processIo, type ManagementTarget } from '../management-client.js';
import { partnerOptions, reachConnector, withConnectorHere, type PartnerIo } from '../partner-connector.js';
import { renderTable } from '../table.js';

type Options = ManagementTarget & { offering?: string; out?: string; purpose?: string };

function keyColumn(view: DatasetView): string {
  if (view.keyStored) return 'kms';
  return view.keyRelease === 'owner-held' ? 'owner-held' : 'destroyed';
}

export function datasetsTable(views: readonly DatasetView[]): string {
  return renderTable(
    ['ID', 'OFFERING', 'VERSION', 'ORIGIN', 'KEY', 'BYTES', 'STATUS', 'DIGEST'],
    views.map((v) => [v.id, v.offeringId, v.version, v.origin, keyColumn(v), String(v.size), v.status, `${v.containerDigest.slice(0, 16)}…`]),
  );
}

/**
 * Runs `task` on the partner's datasets: the running connector's API, else the connector opened
 * here (`serve`: bound to its address meanwhile, so an owner can answer a key release).
 */
async function onDatasets<T>(options: ManagementTarget, io: PartnerIo, serve: boolean, task: (access: DatasetAccess) => Promise<T>): Promise<T> {
  const reach = await reachConnector(options, io);
  if (reach.kind === 'api') return task(datasetsThroughApi(options, io));
  return withConnectorHere(reach.partner, serve, io, (connector) => task(datasetsHere(connector)));
}

/** Bytes written to FILE.partial, renamed to FILE only when all arrived verified; otherwise no file is left. */
async function exportTo(access: DatasetAccess, id: string, out: string, purpose: string | undefined): Promise<number> {
  const opened = await access.open(id, purpose);
  const partial = `${out}.partial`;
  let bytes = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, next) {
      bytes += chunk.length;
      next(null, chunk);
    },
  });
  try {
    await pipeline(opened.content, counted, createWriteStream(partial, { mode: 0o600 }));
    if (bytes !== opened.plaintextLength) throw new DomainError(fail('SOV_DATAPLANE_TRUNCATED', `the dataset has ${opened.plaintextLength} bytes, ${bytes} arrived`));
  } catch (error) {
    await rm(partial, { force: true });
    if (error instanceof DomainError) throw error;
    throw new DomainError(fail('SOV_DATAPLANE_PULL_INTERRUPTED', `the dataset did not arrive whole or did not verify at the connector: ${(error as Error).message}`));
  }
  await rename(partial, out);
  return bytes;
}

export async function datasetCommand(action: 'add' | 'export' | 'shred' | 'list', options: Options, io: PartnerIo, argument = ''): Promise<void> {
  const print = (value: unknown, text: () => string) => io.out(options.json ? JSON.stringify(value, null, 2) : text());
  if (action === 'list') {
    const items = await onDatasets(options, io, false, (access) => access.list());
    return print({ items }, () => datasetsTable(items));
  }
  if (action === 'export') {
    const out = options.out as string;
    const bytes = await onDatasets(options, io, true, (access) => exportTo(access, argument, out, options.purpose));
    return print({ id: argument, file: out, bytes }, () => `verified and written: ${out} (${bytes} bytes)`);
  }
  const view = await onDatasets(options, io, false, (access) => (action === 'add' ? access.add(argument, options.offering as string) : access.shred(argument)));
  print(view, () => datasetsTable([view]));
}

export function register(program: Command, io: PartnerIo = processIo): void {
  const dataset = program.command('dataset').description('Datasets of the encrypted data plane (a running connector through its management API, else opened here)');
  partnerOptions(dataset.command('add').description('Encrypt FILE once into a new dataset version of an offering').argument('<file>'))
    .requiredOption('--offering <id>', 'the offering (dataset IRI) it is a version of')
    .action((file: string, options: Options) => datasetCommand('add', options, io, file));
  partnerOptions(dataset.command('export').description('Decrypt and verify a dataset into FILE (owner-held: asks the owner for a one-time release)').argument('<id>'))
    .requiredOption('--out <file>', 'where to write the plaintext')
    .option('--purpose <purpose>', 'the purpose stated to the owner (owner-held data)')
    .action((id: string, options: Options) => datasetCommand('export', options, io, id));
  partnerOptions(dataset.command('shred').description('Destroy the dataset key (crypto-shredding); audited').argument('<id>'))
    .action((id: string, options: Options) => datasetCommand('shred', options, io, id));
  partnerOptions(dataset.command('list').description('List datasets (local and received)'))
    .action((options: Options) => datasetCommand('list', options, io));
}
