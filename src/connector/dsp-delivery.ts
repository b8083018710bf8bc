/**
 * How the outbox worker sends a DSP message (conventions §5; dsp.md §5 "a state changes when
 * the counterparty acknowledges"): POST the stored body to the stored URL with a caller token
 * for the recipient, and on a 2xx apply our side's transition through the protocol's
 * `confirmDelivery` (learning the counterparty's pid from an initial ACK); a message superseded
 * by a newer one of ours (a termination overtaking it) is dropped unsent. A 4xx that the peer
 * will always give (invalid transition, unknown process, malformed body) is permanent: the
 * worker gives up at once and the protocol's `abandonDelivery` terminates the process; anything
 * else (unreachable, 5xx, 401/403 while a membership is re-checked, 409) is retried with back-off;
 * a 403 policy refusal is permanent too. A DSP peer answers a caller it does not authorize with
 * 404 (dsp.md §4); when the body names a trust check (ours do), it is retried like that 403.
 */
import { validateDspMessage, type OutboxEntry } from '../dsp/index.js';
import { fail, ok, type Failure, type Result } from '../errors/index.js';
import type { ConnectorClient } from '../trust/index.js';

/** Statuses a peer gives for a message it will never accept (DSP §4: 400 invalid, 404 unknown). */
const PERMANENT_STATUSES = new Set([400, 404, 405, 410, 413, 415, 422]);

/**
 * A 403 is retried while it may be a membership being (re)checked, but a policy refusal (the
 * agreement no longer holds: expired, uses spent, revoked) or a spent privacy budget will not
 * change by asking again.
 */
function codeOf(answer: unknown): string | undefined {
  const code = typeof answer === 'object' && answer !== null ? (answer as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

function isPolicyRefusal(answer: unknown): boolean {
  const code = codeOf(answer) ?? '';
  return code.startsWith('SOV_POLICY_') || code === 'SOV_TRANSFER_POLICY_REFUSED' || code === 'SOV_ANON_BUDGET_EXHAUSTED';
}

function isTrustRefusal(answer: unknown): boolean {
  return codeOf(answer)?.startsWith('SOV_TRUST_') === true;
}

/** The part of a negotiation or transfer record the delivery reads. */
export interface DeliveredRecord {
  pending?: { outboxId: string };
}

/** The protocol callbacks of one process kind (negotiation or transfer). */
export interface DeliveryCallbacks<R extends DeliveredRecord = DeliveredRecord> {
  /** Our record of the process, to tell whether a newer message of ours superseded this one. */
  current(localPid: string): Promise<R | undefined>;
  /**
   * The protocol's `confirmDelivery`; `read` is the record `current` returned before sending,
   * passed on the first attempt only (a retry after a lost commit race reads afresh).
   * `delivered`: its commit marked the entry delivered.
   */
  confirm(localPid: string, outboxId: string, ack: { providerPid: string; consumerPid: string } | undefined, read: R | undefined): Promise<Result<{ delivered: boolean }>>;
  abandon(localPid: string, outboxId: string, failure: { code: string; detail: string }): Promise<Result<unknown>>;
}

export interface DeliveryOptions {
  client: Pick<ConnectorClient, 'post'>;
  callbacks: Record<OutboxEntry['process'], DeliveryCallbacks>;
}

const CONFIRM_ATTEMPTS = 5;

/** Repeats a callback that lost a commit race with an inbound message on the same record. */
async function settled<T>(run: (first: boolean) => Promise<Result<T>>): Promise<Result<T>> {
  let result = await run(true);
  for (let attempt = 1; attempt < CONFIRM_ATTEMPTS && !result.ok && result.code.endsWith('_CONFLICT'); attempt += 1) result = await run(false);
  return result;
}

function ackPids(entry: OutboxEntry, body: unknown): { providerPid: string; consumerPid: string } | undefined {
  const ack = validateDspMessage(entry.process === 'negotiation' ? 'ContractNegotiation' : 'TransferProcess', body);
  return ack.ok ? { providerPid: ack.value.providerPid, consumerPid: ack.value.consumerPid } : undefined;
}

function describeRefusal(body: unknown): string {
  if (typeof body !== 'object' || body === null) return 'no error body';
  const { code, reason } = body as { code?: unknown; reason?: unknown };
  return [code, ...[reason ?? []].flat()].filter((part) => part !== undefined).map(String).join(': ');
}

export function deliveryOf(options: DeliveryOptions) {
  async function deliver(entry: OutboxEntry): Promise<Result<{ settled: boolean }>> {
    const callbacks = options.callbacks[entry.process];
    // A termination that overtook this message replaced it as our pending message: sending the
    // older one now would let the counterparty finish what we are ending (dsp.md §5).
    const read = await callbacks.current(entry.localPid);
    const pending = read?.pending;
    if (pending !== undefined && pending.outboxId !== entry.id) return ok({ settled: false });
    const sent = await options.client.post(entry.url, entry.recipient, entry.body);
    if (!sent.ok) return sent;
    const { status, body } = sent.value;
    if (status < 200 || status > 299) {
      return fail('SOV_DSP_PEER_REFUSED', `${entry.message} to ${entry.url} answered ${status}: ${describeRefusal(body)}`, { status, answer: body ?? null });
    }
    const ack = ackPids(entry, body);
    const confirmed = await settled((first) => callbacks.confirm(entry.localPid, entry.id, ack, first ? read : undefined));
    // Delivered but not yet recorded: retrying re-sends the same body, which the peer answers as a replay.
    return confirmed.ok ? ok({ settled: confirmed.value.delivered }) : confirmed;
  }

  async function onGiveUp(entry: OutboxEntry, failure: Failure): Promise<void> {
    const abandoned = await settled(() => options.callbacks[entry.process].abandon(entry.localPid, entry.id, { code: failure.code, detail: failure.detail }));
    // Throwing makes the worker keep the entry and call us again later.
    if (!abandoned.ok) throw new Error(`abandoning ${entry.message} of ${entry.localPid} failed: ${abandoned.code}: ${abandoned.detail}`);
  }

  function isPermanent(failure: Failure): boolean {
    const status = failure.data?.['status'];
    if (failure.code !== 'SOV_DSP_PEER_REFUSED' || typeof status !== 'number') return false;
    const answer = failure.data?.['answer'];
    if (status === 404 && isTrustRefusal(answer)) return false;
    return PERMANENT_STATUSES.has(status) || (status === 403 && isPolicyRefusal(answer));
  }

  return { deliver, onGiveUp, isPermanent };
}
