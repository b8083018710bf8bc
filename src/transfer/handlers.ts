/**
 * Handlers for every inbound transfer message, provider and consumer side (dsp.md §4
 * "Transfer"). Each takes the verified caller and a message already checked by
 * `validateDspMessage`, returns the ACK and what was queued, and changes nothing on failure.
 */
import type { Role, TransferRequestMessage, VerifiedCaller } from '../dsp/index.js';
import { ok, type Result } from '../errors/index.js';
import { admitRequest } from './admission.js';
import { consumerTransferEffects, providerTransferEffects, sendStart } from './effects.js';
import type { TransferDeps } from './ports.js';
import { locateTransfer, receiveTransfer, type TransferOutcome } from './receive.js';
import { ackOf, commitRecord } from './records.js';
import type { TransferMessage } from './table.js';

/**
 * `POST /transfers/request` → 201. Repeated by the same consumer (same consumerPid), it is
 * answered with the same ACK and, once started, the start message is sent again (dsp.md §6).
 */
export async function onTransferRequest(deps: TransferDeps, caller: VerifiedCaller, message: TransferRequestMessage): Promise<Result<TransferOutcome>> {
  const body = message as unknown as Record<string, unknown>;
  const existing = await deps.repository.findByCounterpartyPid(caller.did, message.consumerPid);
  const record = existing ? ok(existing) : await admitRequest(deps, caller, message);
  if (!record.ok) return record;
  const inbound = { ourRole: 'provider' as const, message: 'TransferRequestMessage' as const, body, record: record.value };
  const outcome = await receiveTransfer(deps, caller, { ...inbound, isNew: !existing, createsProcess: true }, providerTransferEffects);
  if (!outcome.ok || !outcome.value.replayed) return outcome;
  return resendStart(deps, outcome.value);
}

async function resendStart(deps: TransferDeps, outcome: TransferOutcome): Promise<Result<TransferOutcome>> {
  const { transfer } = outcome;
  if (transfer.state !== 'STARTED' || transfer.pending) return ok(outcome);
  const record = structuredClone(transfer);
  const outbox: TransferOutcome['outbox'][number][] = [];
  const sent = await sendStart(deps, record, outbox);
  if (!sent.ok) return sent;
  // Already STARTED: the repeated start is a courtesy, so it is not left pending.
  record.pending = undefined;
  const committed = await commitRecord(deps, record, transfer.version, outbox);
  return committed.ok ? ok({ ...outcome, ack: ackOf(committed.value), transfer: committed.value, outbox }) : committed;
}

function onExisting(role: Role, kind: TransferMessage) {
  const effects = role === 'provider' ? providerTransferEffects : consumerTransferEffects;
  return async (deps: TransferDeps, caller: VerifiedCaller, message: object, pathPid?: string): Promise<Result<TransferOutcome>> => {
    const body = message as Record<string, unknown>;
    const record = await locateTransfer(deps, caller, role, body, pathPid);
    if (!record.ok) return record;
    return receiveTransfer(deps, caller, { ourRole: role, message: kind, body, record: record.value, isNew: false, createsProcess: false }, effects);
  };
}

/** Provider: `POST /transfers/:providerPid/start` — the consumer resumes a suspended transfer. */
export const onProviderTransferStart = onExisting('provider', 'TransferStartMessage');
export const onProviderTransferSuspension = onExisting('provider', 'TransferSuspensionMessage');
export const onProviderTransferCompletion = onExisting('provider', 'TransferCompletionMessage');
export const onProviderTransferTermination = onExisting('provider', 'TransferTerminationMessage');

/** Consumer (relative to our callbackAddress): `POST /transfers/:consumerPid/start` etc. */
export const onConsumerTransferStart = onExisting('consumer', 'TransferStartMessage');
export const onConsumerTransferSuspension = onExisting('consumer', 'TransferSuspensionMessage');
export const onConsumerTransferCompletion = onExisting('consumer', 'TransferCompletionMessage');
export const onConsumerTransferTermination = onExisting('consumer', 'TransferTerminationMessage');
