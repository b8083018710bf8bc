/**
 * `sovc transfer pull`'s work, two ways with one outcome (the received dataset's view). Here:
 * the connector opened in this process requests the transfer, waits for the provider's start
 * and pulls (joining its own background pull), reporting progress as the data plane reports
 * it. Through the management API of a running connector: `POST /api/transfers`, polled to
 * STARTED, then `POST /api/transfers/:id/receive` (which joins the connector's background
 * pull and answers its outcome) while `GET /api/transfers/:id` is polled for its `progress`
 * bytes; a receive request whose connection breaks (a long pull can outlast the HTTP client's
 * wait for an answer) is asked again as long as the connector answers.
 */
import type { Connector } from '../connector/index.js';
import type { PullProgress } from '../dataplane/index.js';
import { DomainError, fail, unwrap } from '../errors/index.js';
import { datasetView, type DatasetView, type PullProgressView } from '../http/management/index.js';
import type { TransferProcess } from '../transfer/index.js';
import { managementClient, segment, type ManagementRequest, type ManagementTarget } from './management-client.js';
import type { PartnerIo } from './partner-connector.js';

export type ProgressListener = (progress: PullProgress) => void;

type TransferView = TransferProcess & { progress?: PullProgressView };

const POLL_MS = 250;
/** How long a transfer may take to be started by the provider, or completed after its data arrived. */
const STATE_WAIT_MS = 60_000;

const FORMAT = 'HttpData-PULL';

function pauseOf(io: PartnerIo): (ms: number) => Promise<void> {
  return io.pause ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
}

function terminated(transfer: TransferProcess): DomainError {
  return new DomainError(fail('SOV_DATAPLANE_TRANSFER_NOT_ACTIVE', `transfer ${transfer.id} was terminated: ${JSON.stringify(transfer.termination?.reason ?? [])}`));
}

/** Polls `read` until `done`; a TERMINATED transfer fails at once with its reasons. */
async function until<T extends TransferProcess>(io: PartnerIo, id: string, read: () => Promise<T | undefined>, done: (t: T) => boolean, what: string): Promise<T> {
  for (let waited = 0; waited < STATE_WAIT_MS; waited += POLL_MS) {
    const transfer = await read();
    if (transfer !== undefined && done(transfer)) return transfer;
    if (transfer?.state === 'TERMINATED') throw terminated(transfer);
    await pauseOf(io)(POLL_MS);
  }
  throw new DomainError(fail('SOV_UPSTREAM_UNAVAILABLE', `transfer ${id} did not become ${what} within ${STATE_WAIT_MS / 1000} s`));
}

/** A fast pull may be over before the first poll: STARTED or already COMPLETED both mean "pull (or join) now". */
const startedOrDone = (t: TransferProcess) => t.state === 'STARTED' || t.state === 'COMPLETED';

export async function pullHere(connector: Connector, agreementId: string, io: PartnerIo, onProgress: ProgressListener): Promise<DatasetView> {
  const requested = unwrap(await connector.dsp.transfers.start({ agreementId, format: FORMAT }));
  const read = () => connector.dsp.transfers.get(requested.id);
  await until(io, requested.id, read, startedOrDone, 'STARTED');
  const received = unwrap(await connector.dataPlane.receive(requested.id, onProgress));
  // The whole container, also when the background pull was over before we joined it.
  onProgress({ transferId: requested.id, bytes: received.size, total: received.size, attempt: 1 });
  await until(io, requested.id, read, (t) => t.state === 'COMPLETED', 'COMPLETED');
  return datasetView(received);
}

/** `POST …/receive` until it answers: a broken connection (no HTTP status) is asked again while the connector still answers. */
async function receive(request: ManagementRequest, path: string): Promise<void> {
  for (;;) {
    try {
      await request('POST', `${path}/receive`);
      return;
    } catch (error) {
      const lost = error instanceof DomainError && error.failure.code === 'SOV_UPSTREAM_UNAVAILABLE' && error.failure.data?.['status'] === undefined;
      if (!lost) throw error;
      await request('GET', path);
    }
  }
}

export async function pullThroughApi(target: ManagementTarget, agreementId: string, io: PartnerIo, onProgress: ProgressListener): Promise<DatasetView> {
  const request = managementClient(target, io);
  const requested = await request<TransferView>('POST', '/transfers', { agreementId, format: FORMAT });
  const path = `/transfers/${segment(requested.id)}`;
  const read = () => request<TransferView>('GET', path);
  await until(io, requested.id, read, startedOrDone, 'STARTED');
  let outcome: { error?: unknown } | undefined;
  receive(request, path).then(
    () => (outcome = {}),
    (error: unknown) => (outcome = { error }),
  );
  let shown = '';
  const show = (progress: PullProgressView | undefined) => {
    if (progress === undefined || `${progress.bytes}/${progress.total}` === shown) return;
    shown = `${progress.bytes}/${progress.total}`;
    onProgress({ transferId: requested.id, bytes: progress.bytes, attempt: 1, ...(progress.total === undefined ? {} : { total: progress.total }) });
  };
  while (outcome === undefined) {
    show((await read()).progress);
    await pauseOf(io)(POLL_MS);
  }
  if (outcome.error !== undefined) throw outcome.error;
  const done = await until(io, requested.id, read, (t) => t.state === 'COMPLETED', 'COMPLETED');
  show(done.progress);
  return request<DatasetView>('GET', `/datasets/${segment(requested.id)}`);
}
