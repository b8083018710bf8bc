/**
 * Local transfer commands (management API, CLI) and the outbox worker's delivery callbacks.
 * As for negotiation, a command is checked against the table for our own role, and refused
 * while another of our messages is unacknowledged, except a termination.
 */
import { isoTime } from '../clock/index.js';
import {
  transferCompletionMessage,
  transferRequestMessage,
  transferStartMessage,
  transferSuspensionMessage,
  transferTerminationMessage,
  transition,
  type CodeAndReason,
  type DataAddress,
  type DeliveryConfirmation,
  type OutboxEntry,
  type TransferProcessAck,
} from '../dsp/index.js';
import { fail, ok, type Result } from '../errors/index.js';
import { sendStart } from './effects.js';
import type { TransferProcess } from './entity.js';
import type { TransferDeps } from './ports.js';
import { commitRecord, enqueue, pidsOf } from './records.js';
import { isPushFormat, transferTable, type TransferMessage } from './table.js';

type Compose = (record: TransferProcess, outbox: OutboxEntry[]) => Promise<Result<void>> | Result<void>;

async function command(deps: TransferDeps, id: string, message: TransferMessage, compose: Compose): Promise<Result<TransferProcess>> {
  const stored = await deps.repository.get(id);
  if (!stored) return fail('SOV_TRANSFER_NOT_FOUND', `No transfer process ${id}`, { pid: id });
  if (stored.pending && message !== 'TransferTerminationMessage') {
    return fail('SOV_TRANSFER_BUSY', `Transfer ${id} is waiting for ${stored.pending.message} to be acknowledged`, { pending: stored.pending.message });
  }
  const allowed = transition(transferTable, stored.state, message, stored.role);
  if (!allowed.ok) return allowed;
  const record = structuredClone(stored);
  const outbox: OutboxEntry[] = [];
  const composed = await compose(record, outbox);
  if (!composed.ok) return composed;
  return commitRecord(deps, record, stored.version, outbox);
}

/** Consumer: request a transfer under an agreement we hold (FINALIZED); push formats need our sink. */
export async function requestTransfer(
  deps: TransferDeps,
  input: { agreementId: string; format: string; dataAddress?: DataAddress },
): Promise<Result<TransferProcess>> {
  const negotiation = await deps.negotiations.findByAgreementId(input.agreementId);
  if (negotiation?.role !== 'consumer' || negotiation.state !== 'FINALIZED' || !negotiation.agreement) {
    return fail('SOV_TRANSFER_AGREEMENT_NOT_HELD', `We hold no finalized agreement ${input.agreementId}`, { agreementId: input.agreementId });
  }
  if (isPushFormat(input.format) && !input.dataAddress) {
    return fail('SOV_TRANSFER_DATA_ADDRESS_REQUIRED', `A push transfer (${input.format}) needs our dataAddress`, { format: input.format });
  }
  const id = deps.ids.urn();
  const now = isoTime(deps.clock);
  const record: TransferProcess = {
    id,
    role: 'consumer',
    consumerPid: id,
    counterpartyDid: negotiation.counterpartyDid,
    counterpartyAddress: negotiation.counterpartyAddress,
    agreementId: input.agreementId,
    datasetId: negotiation.agreement.target,
    format: input.format,
    ...(input.dataAddress ? { dataAddress: input.dataAddress } : {}),
    received: {},
    createdAt: now,
    updatedAt: now,
    version: 0,
  };
  const outbox: OutboxEntry[] = [];
  const body = transferRequestMessage({ consumerPid: id, agreementId: input.agreementId, format: input.format, callbackAddress: deps.self.dspBase, dataAddress: input.dataAddress });
  enqueue(deps, record, outbox, 'TransferRequestMessage', body);
  return commitRecord(deps, record, null, outbox);
}

/** Either side: resume a SUSPENDED transfer (the provider restarts its data plane and resends the pull address). */
export function resumeTransfer(deps: TransferDeps, id: string) {
  return command(deps, id, 'TransferStartMessage', (record, outbox) => {
    if (record.role === 'provider') return sendStart(deps, record, outbox);
    enqueue(deps, record, outbox, 'TransferStartMessage', transferStartMessage(pidsOf(record)));
    return ok(undefined);
  });
}

/** The provider stops its data plane as soon as it decides, not when the consumer acknowledges. */
async function stopIfProvider(deps: TransferDeps, record: TransferProcess, why: 'suspended' | 'completed' | 'terminated') {
  if (record.role !== 'provider') return;
  if (!deps.dataPlane) throw new Error('a provider-side transfer needs deps.dataPlane');
  await deps.dataPlane.stop(record, why);
}

export function suspendTransfer(deps: TransferDeps, id: string, why: CodeAndReason = {}) {
  return command(deps, id, 'TransferSuspensionMessage', async (record, outbox) => {
    await stopIfProvider(deps, record, 'suspended');
    record.suspension = { by: record.role, ...why, at: isoTime(deps.clock) };
    enqueue(deps, record, outbox, 'TransferSuspensionMessage', transferSuspensionMessage({ ...pidsOf(record), ...why }));
    return ok(undefined);
  });
}

export function completeTransfer(deps: TransferDeps, id: string) {
  return command(deps, id, 'TransferCompletionMessage', async (record, outbox) => {
    await stopIfProvider(deps, record, 'completed');
    enqueue(deps, record, outbox, 'TransferCompletionMessage', transferCompletionMessage(pidsOf(record)));
    return ok(undefined);
  });
}

export function terminateTransfer(deps: TransferDeps, id: string, why: CodeAndReason = {}) {
  return command(deps, id, 'TransferTerminationMessage', async (record, outbox) => {
    await stopIfProvider(deps, record, 'terminated');
    record.termination = { by: record.role, ...why, at: isoTime(deps.clock) };
    enqueue(deps, record, outbox, 'TransferTerminationMessage', transferTerminationMessage({ ...pidsOf(record), ...why }));
    return ok(undefined);
  });
}

/**
 * Outbox worker after a 2xx: the pending message's transition applies (state moves on ACK) and
 * the entry is marked delivered in the same commit (as negotiation's `confirmDelivery`, `read`
 * included).
 */
export async function confirmTransferDelivery(
  deps: TransferDeps,
  id: string,
  outboxId: string,
  ack?: Pick<TransferProcessAck, 'providerPid' | 'consumerPid'>,
  read?: TransferProcess,
): Promise<Result<DeliveryConfirmation<TransferProcess>>> {
  const stored = read ?? (await deps.repository.get(id));
  if (!stored || stored.pending?.outboxId !== outboxId) return ok({ record: stored, delivered: false });
  const step = transition(transferTable, stored.state, stored.pending.message, stored.role);
  const record: TransferProcess = { ...stored, pending: undefined, ...(step.ok ? { state: step.next } : {}) };
  if (ack && record.role === 'consumer') record.providerPid ??= ack.providerPid;
  const committed = await commitRecord(deps, record, stored.version, [], { outboxId, at: deps.clock.now() });
  return committed.ok ? ok({ record: committed.value, delivered: true }) : committed;
}

/**
 * Outbox worker when it gives up: the sides may disagree, so the transfer is terminated here
 * and, if the lost message was not itself a termination, the counterparty is told.
 */
export async function abandonTransferDelivery(deps: TransferDeps, id: string, outboxId: string, failure: { code: string; detail: string }) {
  const stored = await deps.repository.get(id);
  if (!stored || stored.pending?.outboxId !== outboxId) return ok(stored);
  const lost = stored.pending.message;
  const record: TransferProcess = { ...structuredClone(stored), pending: undefined };
  const why = { code: failure.code, reason: [`${lost} was not delivered: ${failure.detail}`] };
  const outbox: OutboxEntry[] = [];
  if (lost !== 'TransferTerminationMessage' && record.providerPid !== undefined && record.consumerPid !== undefined) {
    enqueue(deps, record, outbox, 'TransferTerminationMessage', transferTerminationMessage({ ...pidsOf(record), ...why }));
  }
  record.termination = { by: record.role, ...why, at: isoTime(deps.clock) };
  record.state = 'TERMINATED';
  record.pending = undefined;
  return commitRecord(deps, record, stored.version, outbox);
}
