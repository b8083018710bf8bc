/**
 * Small record operations shared by inbound handlers and local commands: the pids pair,
 * the ACK body, queuing an outbound message (which marks it pending) and committing.
 */
import { contractNegotiationAck, type AcknowledgedEntry, type ContractNegotiationAck, type OutboxEntry } from '../dsp/index.js';
import { isoTime } from '../clock/index.js';
import { ok, type Result } from '../errors/index.js';
import type { ContractNegotiation } from './entity.js';
import { outboundUrl } from './paths.js';
import type { NegotiationDeps } from './ports.js';
import type { NegotiationMessage } from './table.js';

/** Both pids; by the time an ACK or a follow-up message is built both are always known. */
export function pidsOf(record: ContractNegotiation): { providerPid: string; consumerPid: string } {
  const { providerPid, consumerPid } = record;
  if (providerPid === undefined || consumerPid === undefined) throw new Error(`negotiation ${record.id} lacks a pid`);
  return { providerPid, consumerPid };
}

export function ackOf(record: ContractNegotiation): ContractNegotiationAck {
  if (record.state === undefined) throw new Error(`negotiation ${record.id} has no state to acknowledge`);
  return contractNegotiationAck({ ...pidsOf(record), state: record.state });
}

/** Adds an outbound message to `outbox` and marks it as the record's pending message. */
export function enqueue(
  deps: NegotiationDeps,
  record: ContractNegotiation,
  outbox: OutboxEntry[],
  message: NegotiationMessage,
  body: Record<string, unknown>,
): void {
  const entry: OutboxEntry = {
    id: deps.ids.urn(),
    process: 'negotiation',
    localPid: record.id,
    message,
    url: outboundUrl(record, message),
    recipient: record.counterpartyDid,
    body,
    createdAt: isoTime(deps.clock),
  };
  outbox.push(entry);
  record.pending = { message, outboxId: entry.id };
}

/** Commits `record` (new version) with `outbox` (and the acknowledged entry settled) in one repository transaction. */
export async function commitRecord(
  deps: NegotiationDeps,
  record: ContractNegotiation,
  expectedVersion: number | null,
  outbox: readonly OutboxEntry[],
  acknowledged?: AcknowledgedEntry,
): Promise<Result<ContractNegotiation>> {
  const stored: ContractNegotiation = { ...record, version: (expectedVersion ?? 0) + 1, updatedAt: isoTime(deps.clock) };
  const result = await deps.repository.commit({ record: stored, expectedVersion, outbox, ...(acknowledged === undefined ? {} : { acknowledged }) });
  return result.ok ? ok(stored) : result;
}
