/**
 * `sovc request --provider PARTNER|DID|URL --dataset ID --purpose PURPOSE` (issue 8 "Into the
 * flow"): the researcher's whole path on its OWN connector, through its management API only —
 * the provider's catalogue, the dataset's offer, a negotiation stating the purpose (waited for
 * until FINALIZED; on TERMINATED the provider's reasons are printed and the command fails), a
 * pull transfer (received and completed), then the decrypted file written next to its signed
 * anonymisation report. The file is written as FILE.partial and renamed only once the whole
 * body arrived and its SHA-256 is the one the verified report names.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { connectorConfigPath, loadConnectorConfig, PROJECT_ROOT } from '../../config/index.js';
import { DomainError, fail, unwrap } from '../../errors/index.js';
import type { ContractNegotiation } from '../../negotiation/index.js';
import type { TransferProcess } from '../../transfer/index.js';
import { managementClient, processIo, segment, targetOptions, type CliIo, type ManagementRequest, type ManagementTarget } from '../management-client.js';
import { locateRemoteData, type RemoteDataAccess } from './request-data.js';
import { findOffer, type FoundOffer } from './request-offer.js';

export interface RequestOptions extends ManagementTarget {
  provider: string;
  dataset: string;
  purpose: string;
  /** Directory for the file and its report (default: ./received). */
  out?: string;
  /** Give up waiting after this many seconds (default 300). */
  timeout?: string;
}

/** The CLI's io plus how to wait between polls (tests settle their federation instead of sleeping). */
export interface RequestIo extends CliIo {
  pause?: (ms: number) => Promise<void>;
}

const POLL_MS = 250;
const fatal = (detail: string, code: Parameters<typeof fail>[0] = 'SOV_BAD_REQUEST'): never => {
  throw new DomainError(fail(code, detail));
};

/** A partner code becomes its connector URL (connectors/<code>/connector.json); DIDs and URLs pass. */
export function providerRef(provider: string, io: CliIo): { did: string } | { url: string } {
  if (provider.startsWith('did:')) return { did: provider };
  if (/^https?:\/\//.test(provider)) return { url: provider };
  const root = io.root ?? PROJECT_ROOT;
  const config = unwrap(loadConnectorConfig({ file: connectorConfigPath(root, provider), projectRoot: root, env: io.env }));
  return { url: config.publicBaseUrl };
}

async function until<T>(io: RequestIo, deadline: number, read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const pause = io.pause ?? ((ms: number) => new Promise<void>((wake) => setTimeout(wake, ms)));
  for (let waited = 0; ; waited += POLL_MS) {
    const value = await read();
    if (done(value)) return value;
    if (waited >= deadline) return fatal(`gave up waiting for ${what} after ${Math.round(deadline / 1000)} s`, 'SOV_UPSTREAM_UNAVAILABLE');
    await pause(POLL_MS);
  }
}

function refusal(negotiation: ContractNegotiation): string {
  const reasons = (negotiation.termination?.reason ?? []).map((reason) => {
    const r = reason as { code?: string; message?: string; constraint?: string };
    return typeof reason === 'string' ? `  - ${reason}` : `  - ${r.code ?? ''}${r.constraint ? ` (${r.constraint})` : ''}: ${r.message ?? JSON.stringify(reason)}`;
  });
  return [`negotiation ${negotiation.id} was TERMINATED by the ${negotiation.termination?.by ?? 'provider'} (${negotiation.termination?.code ?? 'no code'}):`, ...reasons].join('\n');
}

async function negotiate(request: ManagementRequest, io: RequestIo, found: FoundOffer, options: RequestOptions, deadline: number): Promise<string> {
  const body = { providerDid: found.providerDid, offerId: found.offerId, datasetId: found.datasetId, purpose: options.purpose };
  const started = await request<ContractNegotiation>('POST', '/negotiations', body);
  io.out(`negotiation ${started.id} requested for ${found.datasetId} (offer ${found.offerId})`);
  const read = () => request<ContractNegotiation>('GET', `/negotiations/${segment(started.id)}`);
  const settled = await until(io, deadline, read, (n) => n.state === 'FINALIZED' || n.state === 'TERMINATED', `negotiation ${started.id}`);
  if (settled.state === 'TERMINATED' || settled.agreement === undefined) return fatal(refusal(settled), 'SOV_NEG_POLICY_REFUSED');
  io.out(`agreement ${settled.agreement['@id']} FINALIZED`);
  return settled.agreement['@id'];
}

async function transfer(request: ManagementRequest, io: RequestIo, agreementId: string, deadline: number): Promise<TransferProcess> {
  const started = await request<TransferProcess>('POST', '/transfers', { agreementId });
  const path = `/transfers/${segment(started.id)}`;
  const read = () => request<TransferProcess>('GET', path);
  const ended = (t: TransferProcess) => t.state === 'TERMINATED' || t.state === 'COMPLETED';
  const running = await until(io, deadline, read, (t) => t.state === 'STARTED' || ended(t), `transfer ${started.id} to start`);
  if (running.state === 'STARTED') await request('POST', `${path}/receive`);
  const done = await until(io, deadline, read, ended, `transfer ${started.id} to complete`);
  if (done.state !== 'COMPLETED') return fatal(`transfer ${done.id} was TERMINATED: ${JSON.stringify(done.termination?.reason ?? [])}`, 'SOV_TRANSFER_POLICY_REFUSED');
  io.out(`transfer ${done.id} COMPLETED`);
  return done;
}

/** Streams the plaintext to FILE.partial, then renames it once the bytes are the ones reported. */
async function exportTo(access: RemoteDataAccess, transferId: string, directory: string, io: CliIo): Promise<{ file: string; report?: string }> {
  mkdirSync(directory, { recursive: true });
  const report = await access.report(transferId);
  const stem = transferId.replace(/[^A-Za-z0-9-]+/g, '_').slice(-60);
  const file = join(directory, `${stem}.${report?.format ?? 'data'}`);
  const partial = `${file}.partial`;
  const hash = createHash('sha256');
  const tee = new Transform({
    transform(chunk: Buffer, _encoding, next) {
      hash.update(chunk);
      next(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(await access.data(transferId)), tee, createWriteStream(partial));
  } catch (error) {
    rmSync(partial, { force: true });
    return fatal(`the dataset did not arrive whole or did not verify at the connector: ${(error as Error).message}`, 'SOV_DATAPLANE_PULL_INTERRUPTED');
  }
  const sha256 = hash.digest('hex');
  if (report !== undefined && report.plaintextSha256 !== sha256) {
    rmSync(partial, { force: true });
    return fatal(`the file exported (sha256:${sha256}) is not the output the anonymisation report describes`, 'SOV_ANON_REPORT_INVALID');
  }
  renameSync(partial, file);
  if (report === undefined) return { file };
  const reportFile = join(directory, `${stem}.report.json`);
  writeFileSync(reportFile, `${JSON.stringify(report.signed, null, 2)}\n`);
  io.out(`anonymisation report ${report.digest}: k = ${String(report.achieved.k)}, l = ${String(report.achieved.l ?? '-')}, signed by ${report.issuer}`);
  return { file, report: reportFile };
}

export async function requestCommand(options: RequestOptions, io: RequestIo): Promise<void> {
  const request = managementClient(options, io);
  const deadline = Number(options.timeout ?? 300) * 1000;
  const found = await findOffer(request, providerRef(options.provider, io), options.dataset);
  const agreementId = await negotiate(request, io, found, options, deadline);
  const done = await transfer(request, io, agreementId, deadline);
  const written = await exportTo(locateRemoteData(options, io), done.id, resolve(options.out ?? 'received'), io);
  io.out(`file:   ${written.file}`);
  io.out(`report: ${written.report ?? '(none: the provider sent the dataset as stored)'}`);
}

export function register(program: Command, io: RequestIo = processIo): void {
  targetOptions(program.command('request').description("Request a partner's dataset for a purpose on your own connector: catalogue, negotiation, transfer, decrypted file and its report"))
    .requiredOption('--provider <partner|did|url>', 'the provider: partner code (uk), DID or URL')
    .requiredOption('--dataset <id>', 'the dataset @id in its catalogue')
    .requiredOption('--purpose <purpose>', 'the purpose stated to the provider, e.g. research/health (or a purpose IRI)')
    .option('--out <dir>', 'where to write the file and its report (default ./received)')
    .option('--timeout <seconds>', 'give up waiting after this long (default 300)')
    .action((options: RequestOptions) => requestCommand(options, io));
}
