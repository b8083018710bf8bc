/**
 * The steps of one cross-border exchange as two admins drive it through their management APIs:
 * read the provider's published offering, ask our connector to negotiate for it (the offer as
 * the provider's catalogue shows it to us), wait for FINALIZED or TERMINATED, start a pull
 * transfer under the agreement, wait while our connector pulls it by itself (verified,
 * completed with a signed receipt), read the dataset it delivered (GET /api/datasets/:id, our
 * transfer id) and download the decrypted, verified content to a file. Each step answers
 * an outcome (refusals included) instead of throwing: the demo prints them all.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DatasetView } from '../../http/management/index.js';
import type { ContractNegotiation } from '../../negotiation/index.js';
import type { Offering } from '../../offerings/index.js';
import type { TransferProcess } from '../../transfer/index.js';
import { seg, type ApiAnswer, type PartnerApi } from './partner-api.js';

export interface Refusal {
  code: string;
  detail: string;
}

export interface NegotiationOutcome {
  state: 'FINALIZED' | 'TERMINATED' | 'REFUSED';
  id?: string;
  agreementId?: string;
  /** TERMINATED: the provider's code and reasons; REFUSED: our connector's refusal. */
  refusal?: Refusal & { reasons?: unknown[] };
}

export interface TransferOutcome {
  state: 'COMPLETED' | 'TERMINATED' | 'REFUSED';
  id?: string;
  providerPid?: string;
  dataset?: DatasetView;
  file?: string;
  sha256?: string;
  bytes?: number;
  refusal?: Refusal & { reasons?: unknown[] };
}

/** How long the demo waits for a process to settle (the outbox worker polls every 100 ms). */
export const SETTLE_TIMEOUT_MS = 30_000;
const POLL_MS = 25;

const refusalOf = (answer: { code: string; detail: string }): Refusal => ({ code: answer.code, detail: answer.detail });

async function until<T>(read: () => Promise<ApiAnswer<T>>, done: (value: T) => boolean, what: string): Promise<ApiAnswer<T>> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  for (;;) {
    const answer = await read();
    if (!answer.ok || done(answer.value)) return answer;
    if (Date.now() > deadline) return { ok: false, status: 504, code: 'SOV_DEMO_TIMEOUT', detail: `${what} did not settle within ${SETTLE_TIMEOUT_MS} ms` };
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

export async function publishedOffering(provider: PartnerApi, datasetId: string): Promise<ApiAnswer<Offering>> {
  return provider.get<Offering>(`/offerings/${seg(datasetId)}`);
}

export async function didOf(partner: PartnerApi): Promise<ApiAnswer<{ did: string; jurisdiction: string; membership: { credentials: Array<{ issuer: string }> } }>> {
  return partner.get('/identity');
}

/**
 * Asks our connector to negotiate for an offering. By default the offer's rules come from the
 * provider's catalogue as it shows it to us; `outOfBand` sends rules the provider published
 * elsewhere (its admin shared them), so an offer its catalogue hides from us still reaches the
 * provider, whose policy decides and whose reasons come back in the termination.
 */
export async function negotiate(
  consumer: PartnerApi,
  providerDid: string,
  offering: Pick<Offering, 'id' | 'offerId'>,
  outOfBand?: { offer: Record<string, unknown> },
): Promise<NegotiationOutcome> {
  const body = { providerDid, datasetId: offering.id, offerId: offering.offerId, ...(outOfBand === undefined ? {} : { offer: outOfBand.offer }) };
  const started = await consumer.post<ContractNegotiation>('/negotiations', body);
  if (!started.ok) return { state: 'REFUSED', refusal: refusalOf(started) };
  const id = started.value.id;
  const settled = await until(() => consumer.get<ContractNegotiation>(`/negotiations/${seg(id)}`), (n) => n.state === 'FINALIZED' || n.state === 'TERMINATED', `negotiation ${id}`);
  if (!settled.ok) return { state: 'REFUSED', id, refusal: refusalOf(settled) };
  const negotiation = settled.value;
  if (negotiation.state === 'FINALIZED') return { state: 'FINALIZED', id, agreementId: String(negotiation.agreement?.['@id']) };
  const termination = negotiation.termination;
  return { state: 'TERMINATED', id, refusal: { code: termination?.code ?? 'TERMINATED', detail: `terminated by the ${termination?.by ?? 'counterparty'}`, reasons: termination?.reason ?? [] } };
}

function terminated(transfer: TransferProcess): TransferOutcome {
  const why = transfer.termination;
  return {
    state: 'TERMINATED',
    id: transfer.id,
    refusal: { code: why?.code ?? 'TERMINATED', detail: `terminated by the ${why?.by ?? 'counterparty'}`, reasons: why?.reason ?? [] },
  };
}

export type TransferFormat = 'HttpData-PULL' | 'HttpData-PUSH';

/** Writes the verified plaintext as `<dir>/<name>` (through `.partial`, renamed when whole). */
function keep(dir: string, name: string, content: Uint8Array): { file: string; sha256: string } {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, name);
  writeFileSync(`${file}.partial`, content, { mode: 0o600 });
  renameSync(`${file}.partial`, file);
  return { file, sha256: createHash('sha256').update(content).digest('hex') };
}

/**
 * A transfer under `agreementId` (pulled by us, or pushed by the provider to a sink our
 * connector opens), received and completed, content written under `outDir`.
 */
export async function transferAndKeep(consumer: PartnerApi, agreementId: string, outDir: string, fileName: string, format: TransferFormat = 'HttpData-PULL'): Promise<TransferOutcome> {
  const started = await consumer.post<TransferProcess>('/transfers', { agreementId, format });
  if (!started.ok) return { state: 'REFUSED', refusal: refusalOf(started) };
  const id = started.value.id;
  const read = () => consumer.get<TransferProcess>(`/transfers/${seg(id)}`);
  // Once STARTED, our connector pulls (or the provider pushes) and ours completes by itself.
  const completed = await until(read, (t) => t.state === 'COMPLETED' || t.state === 'TERMINATED', `transfer ${id}`);
  if (!completed.ok) return { state: 'REFUSED', id, refusal: refusalOf(completed) };
  if (completed.value.state === 'TERMINATED') return terminated(completed.value);
  const received = await consumer.get<DatasetView>(`/datasets/${seg(id)}`);
  if (!received.ok) return { state: 'REFUSED', id, refusal: refusalOf(received) };
  const content = await consumer.download(`/datasets/${seg(received.value.id)}/content`);
  if (!content.ok) return { state: 'REFUSED', id, refusal: refusalOf(content) };
  const kept = keep(outDir, fileName, content.value);
  return { state: 'COMPLETED', id, ...(completed.value.providerPid === undefined ? {} : { providerPid: completed.value.providerPid }), dataset: received.value, bytes: content.value.length, ...kept };
}
