/**
 * Local commands (management API, CLI) that make this side send a negotiation message, and
 * the delivery callbacks the outbox worker calls. A command checks the transition table for
 * our own role first, so an admin cannot send what the counterparty would have to refuse, and
 * refuses while another of our messages awaits acknowledgement (SOV_NEG_BUSY), except a
 * termination, which may always overtake it.
 */
import {
  contractNegotiationEventMessage,
  contractOfferMessage,
  contractRequestMessage,
  transition,
  type ContractNegotiationAck,
  type DeliveryConfirmation,
  type OutboxEntry,
} from '../dsp/index.js';
import { isoTime } from '../clock/index.js';
import { fail, ok, type Result } from '../errors/index.js';
import { sendAgreement, sendTermination } from './effects.js';
import type { ContractNegotiation } from './entity.js';
import type { NegotiationDeps } from './ports.js';
import { freshRecord } from './receive.js';
import { commitRecord, enqueue, pidsOf } from './records.js';
import { negotiationTable, type NegotiationMessage } from './table.js';
import type { TargetedOffer } from './terms.js';

type Compose = (record: ContractNegotiation, outbox: OutboxEntry[]) => Promise<void> | void;

async function command(deps: NegotiationDeps, id: string, message: NegotiationMessage, compose: Compose): Promise<Result<ContractNegotiation>> {
  const stored = await deps.repository.get(id);
  if (!stored) return fail('SOV_NEG_NOT_FOUND', `No contract negotiation ${id}`, { pid: id });
  // Termination may always overtake a message in flight: it is acknowledged after it.
  if (stored.pending && message !== 'ContractNegotiationTerminationMessage') {
    return fail('SOV_NEG_BUSY', `Negotiation ${id} is waiting for ${stored.pending.message} to be acknowledged`, { pending: stored.pending.message });
  }
  const allowed = transition(negotiationTable, stored.state, message, stored.role);
  if (!allowed.ok) return allowed;
  const record = structuredClone(stored);
  const outbox: OutboxEntry[] = [];
  await compose(record, outbox);
  return commitRecord(deps, record, stored.version, outbox);
}

/** Consumer: start a negotiation for a catalogue offer (with its `target`) of a provider. */
export async function requestContract(
  deps: NegotiationDeps,
  input: { providerDid: string; providerDspBase: string; offer: TargetedOffer; purpose?: string },
): Promise<Result<ContractNegotiation>> {
  const id = deps.ids.urn();
  const record = freshRecord(deps, {
    id,
    role: 'consumer',
    consumerPid: id,
    counterpartyDid: input.providerDid,
    counterpartyAddress: input.providerDspBase,
    offer: input.offer,
    offerBy: 'provider',
    ...(input.purpose === undefined ? {} : { purpose: input.purpose }),
  });
  const outbox: OutboxEntry[] = [];
  const body = contractRequestMessage({ consumerPid: id, offer: input.offer, callbackAddress: deps.self.dspBase, ...(input.purpose === undefined ? {} : { purpose: input.purpose }) });
  enqueue(deps, record, outbox, 'ContractRequestMessage', body);
  return commitRecord(deps, record, null, outbox);
}

/** Provider: offer a dataset to a consumer first (initial ContractOfferMessage). */
export async function offerContract(
  deps: NegotiationDeps,
  input: { consumerDid: string; consumerAddress: string; offer: TargetedOffer },
): Promise<Result<ContractNegotiation>> {
  const id = deps.ids.urn();
  const record = freshRecord(deps, {
    id,
    role: 'provider',
    providerPid: id,
    counterpartyDid: input.consumerDid,
    counterpartyAddress: input.consumerAddress,
    offer: input.offer,
    offerBy: 'provider',
  });
  const outbox: OutboxEntry[] = [];
  enqueue(deps, record, outbox, 'ContractOfferMessage', contractOfferMessage({ providerPid: id, offer: input.offer, callbackAddress: deps.self.dspBase }));
  return commitRecord(deps, record, null, outbox);
}

/** Consumer: counter the provider's offer with new terms (OFFERED → REQUESTED on ACK). */
export function counterRequest(deps: NegotiationDeps, id: string, offer: TargetedOffer) {
  return command(deps, id, 'ContractRequestMessage', (record, outbox) => {
    record.offer = offer;
    record.offerBy = 'consumer';
    const body = contractRequestMessage({ ...pidsOf(record), offer, callbackAddress: deps.self.dspBase, ...(record.purpose === undefined ? {} : { purpose: record.purpose }) });
    enqueue(deps, record, outbox, 'ContractRequestMessage', body);
  });
}

/** Provider: counter the consumer's request with an offer (REQUESTED → OFFERED on ACK). */
export function counterOffer(deps: NegotiationDeps, id: string, offer: TargetedOffer) {
  return command(deps, id, 'ContractOfferMessage', (record, outbox) => {
    record.offer = offer;
    record.offerBy = 'provider';
    record.awaitingDecision = undefined;
    enqueue(deps, record, outbox, 'ContractOfferMessage', contractOfferMessage({ ...pidsOf(record), offer }));
  });
}

/** Consumer: accept the provider's current offer (OFFERED → ACCEPTED on ACK). */
export function acceptOffer(deps: NegotiationDeps, id: string) {
  return command(deps, id, 'ContractNegotiationEventMessage:ACCEPTED', (record, outbox) => {
    const body = contractNegotiationEventMessage({ ...pidsOf(record), eventType: 'ACCEPTED' });
    enqueue(deps, record, outbox, 'ContractNegotiationEventMessage:ACCEPTED', body);
  });
}

/**
 * Provider: an admin agrees to the terms on the table (typically a consumer's proposal that
 * was left for a decision). The policy is evaluated again at verification, with the
 * consumer's verified claims.
 */
export function agreeToTerms(deps: NegotiationDeps, id: string) {
  return command(deps, id, 'ContractAgreementMessage', (record, outbox) => sendAgreement(deps, record, outbox));
}

/** Either side: terminate with a code and reasons (any non-terminal state). */
export function terminateNegotiation(deps: NegotiationDeps, id: string, termination: { code?: string; reason?: unknown[] }) {
  return command(deps, id, 'ContractNegotiationTerminationMessage', (record, outbox) => sendTermination(deps, record, outbox, termination));
}

/**
 * Outbox worker, after a 2xx: applies our pending message's transition (dsp.md §5: the state
 * changes on acknowledgement), learns the counterparty's pid from an initial ACK, and marks
 * the entry delivered in the same commit. A no-op when the entry is no longer pending (already
 * implied by a later message, or superseded): the worker then settles the entry itself.
 * `read` is the record as the worker read it before sending, used instead of reading it again:
 * if it is no longer the stored version the commit conflicts, and the retry reads afresh.
 */
export async function confirmDelivery(
  deps: NegotiationDeps,
  id: string,
  outboxId: string,
  ack?: Pick<ContractNegotiationAck, 'providerPid' | 'consumerPid'>,
  read?: ContractNegotiation,
): Promise<Result<DeliveryConfirmation<ContractNegotiation>>> {
  const stored = read ?? (await deps.repository.get(id));
  if (!stored || stored.pending?.outboxId !== outboxId) return ok({ record: stored, delivered: false });
  const step = transition(negotiationTable, stored.state, stored.pending.message, stored.role);
  const record: ContractNegotiation = { ...stored, pending: undefined, ...(step.ok ? { state: step.next } : {}) };
  if (ack && record.role === 'consumer') record.providerPid ??= ack.providerPid;
  if (ack && record.role === 'provider') record.consumerPid ??= ack.consumerPid;
  const committed = await commitRecord(deps, record, stored.version, [], { outboxId, at: deps.clock.now() });
  return committed.ok ? ok({ record: committed.value, delivered: true }) : committed;
}

/**
 * Outbox worker, when it gives up on an entry (permanent 4xx, retries exhausted). The two
 * sides may now disagree, so the negotiation ends here (dsp.md §5) and, unless the lost
 * message was itself a termination, a termination naming the failure is queued.
 */
export async function abandonDelivery(deps: NegotiationDeps, id: string, outboxId: string, failure: { code: string; detail: string }) {
  const stored = await deps.repository.get(id);
  if (!stored || stored.pending?.outboxId !== outboxId) return ok(stored);
  const lost = stored.pending.message;
  const record: ContractNegotiation = { ...structuredClone(stored), pending: undefined };
  const outbox: OutboxEntry[] = [];
  const termination = { code: failure.code, reason: [`${lost} was not delivered: ${failure.detail}`] };
  const canTell = lost !== 'ContractNegotiationTerminationMessage' && record.providerPid !== undefined && record.consumerPid !== undefined;
  if (canTell) sendTermination(deps, record, outbox, termination);
  else record.termination = { by: record.role, ...termination, at: isoTime(deps.clock) };
  // Terminal at once: the termination we queue is a courtesy, not a transition to wait for.
  record.state = 'TERMINATED';
  record.pending = undefined;
  return commitRecord(deps, record, stored.version, outbox);
}
