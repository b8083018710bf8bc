/**
 * `sovc transfer pull AGREEMENT_ID --partner CODE`: requests a pull transfer under a finalized
 * agreement we hold, waits for the provider's start, pulls the container (verified while it
 * arrives, resumed after cuts), takes the key as the offer says, and completes the transfer
 * once the digest and signature checked out. Progress: a bar with bytes, rate and ETA on a
 * terminal, plain lines otherwise. The partner's connector runs in this process meanwhile.
 */
import type { Command } from 'commander';
import type { Connector } from '../../connector/index.js';
import type { PullProgress } from '../../dataplane/index.js';
import { DomainError, fail, unwrap } from '../../errors/index.js';
import type { TransferProcess } from '../../transfer/index.js';
import { datasetsTable, withPartnerConnector } from './dataset.js';

const MB = 1024 * 1024;

export interface ProgressFigures {
  bytes: number;
  total?: number;
  /** Milliseconds since the pull began. */
  elapsedMs: number;
}

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** `12.3 MB of 40.0 MB (31%) at 85.2 MB/s, ETA 0:01` (without total: bytes and rate only). */
export function progressText(p: ProgressFigures): string {
  const rate = p.elapsedMs > 0 ? p.bytes / MB / (p.elapsedMs / 1000) : 0;
  const head = `${(p.bytes / MB).toFixed(1)} MB`;
  if (p.total === undefined || p.total === 0) return `${head} at ${rate.toFixed(1)} MB/s`;
  const eta = rate > 0 ? (p.total - p.bytes) / MB / rate : Number.NaN;
  return `${head} of ${(p.total / MB).toFixed(1)} MB (${Math.floor((100 * p.bytes) / p.total)}%) at ${rate.toFixed(1)} MB/s, ETA ${Number.isNaN(eta) ? '?' : clock(eta)}`;
}

/** A 30-cell bar followed by the figures, for a terminal line rewritten in place. */
export function progressBar(p: ProgressFigures, width = 30): string {
  const done = p.total ? Math.min(width, Math.floor((width * p.bytes) / p.total)) : 0;
  return `[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${progressText(p)}`;
}

/** Renders progress: in place on a TTY, else a line at most every 10% (or every 8 MB without a total). */
export function progressRenderer(write: (text: string) => void, tty: boolean, now: () => number = () => performance.now()) {
  const began = now();
  let lastStep = -1;
  return (progress: PullProgress): void => {
    const figures = { bytes: progress.bytes, elapsedMs: now() - began, ...(progress.total === undefined ? {} : { total: progress.total }) };
    if (tty) return write(`\r${progressBar(figures)}`);
    const step = progress.total ? Math.floor((10 * progress.bytes) / progress.total) : Math.floor(progress.bytes / (8 * MB));
    if (step === lastStep) return;
    lastStep = step;
    write(`pulled ${progressText(figures)}${progress.attempt > 1 ? ` (resumed, attempt ${progress.attempt})` : ''}\n`);
  };
}

async function until(connector: Connector, id: string, done: (t: TransferProcess | undefined) => boolean, what: string): Promise<TransferProcess> {
  for (let waited = 0; waited < 60_000; waited += 100) {
    const transfer = await connector.dsp.transfers.get(id);
    if (done(transfer)) return transfer as TransferProcess;
    if (transfer?.state === 'TERMINATED') throw new DomainError(fail('SOV_DATAPLANE_TRANSFER_NOT_ACTIVE', `transfer ${id} was terminated: ${JSON.stringify(transfer.termination?.reason ?? [])}`));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new DomainError(fail('SOV_UPSTREAM_UNAVAILABLE', `transfer ${id} did not become ${what} within 60 s`));
}

async function pull(agreementId: string, options: { partner: string }): Promise<void> {
  const record = await withPartnerConnector(options.partner, true, async (connector) => {
    const requested = unwrap(await connector.dsp.transfers.start({ agreementId, format: 'HttpData-PULL' }));
    await until(connector, requested.id, (t) => t?.state === 'STARTED', 'STARTED');
    const render = progressRenderer((text) => process.stdout.write(text), process.stdout.isTTY === true);
    const received = unwrap(await connector.dataPlane.receive(requested.id, render));
    if (process.stdout.isTTY) process.stdout.write('\n');
    await until(connector, requested.id, (t) => t?.state === 'COMPLETED', 'COMPLETED');
    return received;
  });
  console.log(datasetsTable([record]));
}

export function register(program: Command): void {
  program
    .command('transfer')
    .description('Data-plane transfers run in this process')
    .command('pull')
    .description('Pull a dataset under a finalized agreement: verified, resumable, completed with a signed receipt')
    .argument('<agreementId>')
    .requiredOption('--partner <code>', 'our partner code, e.g. eu (its connector runs here meanwhile)')
    .action((agreementId: string, options: { partner: string }) => pull(agreementId, options));
}
