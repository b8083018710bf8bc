/**
 * `sovc dataset add FILE --offering ID | export ID --out FILE | shred ID | list`, run against a
 * partner's connector opened in this process (its keystore, store and ciphertext directory).
 * `add` streams the file in, encrypting it once under a fresh data key; the clear file is never
 * copied. `export` writes the plaintext to `FILE.partial` and renames it only once the
 * container's digest and signature verified; owner-held data asks its owner for a one-time key
 * release, so the connector is served for the duration. The keystore file has one writer: the
 * commands refuse while the partner's connector answers on its address (stop it first).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { createConnector, type Connector } from '../../connector/index.js';
import type { DatasetRecord } from '../../dataplane/index.js';
import { DomainError, fail, unwrap } from '../../errors/index.js';
import { loadPartner } from '../../config/index.js';
import { renderTable } from '../table.js';

export interface PartnerOption {
  partner: string;
}

/** Opens the partner's connector here, refusing while another process serves it. */
export async function withPartnerConnector<T>(code: string, serve: boolean, task: (connector: Connector) => Promise<T>): Promise<T> {
  const partner = unwrap(loadPartner(code));
  const running = await fetch(`${partner.config.publicBaseUrl}/health`).then(() => true, () => false);
  if (running) throw new DomainError(fail('SOV_CONFLICT', `the ${code} connector is running at ${partner.config.publicBaseUrl}: stop it first (its keystore has one writer)`));
  const connector = unwrap(await createConnector(partner));
  try {
    if (serve) unwrap(await connector.start());
    return await task(connector);
  } finally {
    await connector.stop();
  }
}

export function datasetsTable(records: readonly DatasetRecord[]): string {
  return renderTable(
    ['ID', 'OFFERING', 'VERSION', 'ORIGIN', 'KEY', 'BYTES', 'STATUS', 'DIGEST'],
    records.map((r) => [r.id, r.offeringId, r.version, r.origin, r.dataKeyId === undefined ? (r.keyRelease ?? '') : `kms ${r.dataKeyId}`, String(r.size), r.status, `${r.containerDigest.slice(0, 16)}…`]),
  );
}

async function add(file: string, options: PartnerOption & { offering: string }): Promise<void> {
  const size = (await stat(file)).size;
  const record = await withPartnerConnector(options.partner, false, async (connector) => {
    const offering = await connector.dsp.offerings.get(options.offering);
    if (offering === undefined) throw new DomainError(fail('SOV_NOT_FOUND', `no offering ${options.offering} at ${options.partner}`));
    return unwrap(await connector.dataPlane.addDataset({ source: createReadStream(file), offeringId: options.offering, plaintextLength: size, actor: 'admin:cli' }));
  });
  console.log(datasetsTable([record]));
}

async function exportTo(id: string, options: PartnerOption & { out: string; purpose?: string }): Promise<void> {
  const partial = `${options.out}.partial`;
  await withPartnerConnector(options.partner, true, async (connector) => {
    const output = unwrap(await connector.dataPlane.openDataset(id, options.purpose === undefined ? {} : { purpose: options.purpose }));
    try {
      await pipeline(output, createWriteStream(partial, { mode: 0o600 }));
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    await rename(partial, options.out);
  });
  console.log(`verified and written: ${options.out}`);
}

export function register(program: Command): void {
  const dataset = program.command('dataset').description('Datasets of the encrypted data plane (run while the partner connector is stopped)');
  const partner = (command: Command) => command.requiredOption('--partner <code>', 'whose connector, e.g. uk');
  partner(dataset.command('add').description('Encrypt FILE once into a new dataset version of an offering').argument('<file>'))
    .requiredOption('--offering <id>', 'the offering (dataset IRI) it is a version of')
    .action((file: string, options: PartnerOption & { offering: string }) => add(file, options));
  partner(dataset.command('export').description('Decrypt and verify a dataset into FILE (owner-held: asks the owner for a one-time release)').argument('<id>'))
    .requiredOption('--out <file>', 'where to write the plaintext')
    .option('--purpose <purpose>', 'the purpose stated to the owner (owner-held data)')
    .action((id: string, options: PartnerOption & { out: string; purpose?: string }) => exportTo(id, options));
  partner(dataset.command('shred').description('Destroy the dataset key (crypto-shredding); audited').argument('<id>'))
    .action(async (id: string, options: PartnerOption) => {
      const record = await withPartnerConnector(options.partner, false, async (connector) => unwrap(await connector.dataPlane.shredDataset(id, 'admin:cli')));
      console.log(datasetsTable([record]));
    });
  partner(dataset.command('list').description('List datasets (local and received)')).action(async (options: PartnerOption) => {
    console.log(datasetsTable(await withPartnerConnector(options.partner, false, (connector) => connector.dataPlane.datasets.list())));
  });
}
