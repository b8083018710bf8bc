/**
 * `sovc transfer pull AGREEMENT_ID --partner CODE`: requests a pull transfer under a finalized
 * agreement we hold, waits for the provider's start, pulls the container (verified while it
 * arrives, resumed after cuts), takes the key as the offer says, and completes the transfer
 * once the digest and signature checked out — on a running connector through its management
 * API, on a stopped one opened in this process (src/cli/pull-transfer.ts); the same table or
 * JSON either way. Progress (on stderr): a bar with bytes, rate and ETA on a terminal, plain
 * lines otherwise; through the API the bytes are those the connector holds, without a total
 * until the container is whole.
 */
import type { Command } from 'commander';
import type { PullProgress } from '../../dataplane/index.js';
import { processIo, type ManagementTarget } from '../management-client.js';
import { partnerOptions, reachConnector, withConnectorHere, type PartnerIo } from '../partner-connector.js';
import { pullHere, pullThroughApi } from '../pull-transfer.js';
import { datasetsTable } from './dataset.js';

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

export async function pullCommand(agreementId: string, options: ManagementTarget, io: PartnerIo): Promise<void> {
  const progress = io.progress ?? { write: (text: string) => process.stderr.write(text), tty: process.stderr.isTTY === true };
  const render = progressRenderer((text) => progress.write(text), progress.tty);
  const reach = await reachConnector(options, io);
  const view =
    reach.kind === 'api'
      ? await pullThroughApi(options, agreementId, io, render)
      : await withConnectorHere(reach.partner, true, io, (connector) => pullHere(connector, agreementId, io, render));
  if (progress.tty) progress.write('\n');
  io.out(options.json ? JSON.stringify(view, null, 2) : datasetsTable([view]));
}

export function register(program: Command, io: PartnerIo = processIo): void {
  const transfer = program.command('transfer').description('Data-plane transfers followed to their end');
  partnerOptions(
    transfer
      .command('pull')
      .description('Pull a dataset under a finalized agreement: verified, resumable, completed with a signed receipt')
      .argument('<agreementId>'),
  ).action((agreementId: string, options: ManagementTarget) => pullCommand(agreementId, options, io));
}
