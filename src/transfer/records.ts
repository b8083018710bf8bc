/**
 * Record operations shared by transfer handlers and commands: pids, ACK, where each message
 * goes (dsp.md §4 transfer tables), queuing (marks the message pending) and committing.
 */
import { isoTime } from '../clock/index.js';
import { dspUrl, transferProcessAck, type AcknowledgedEntry, type OutboxEntry, type TransferProcessAck } from '../dsp/index.js';
import { ok, type Result } from '../errors/index.js';
import type { TransferProcess } from './entity.js';
import type { TransferDeps } from './ports.js';
import type { TransferMessage } from './table.js';

const SUFFIX: Record<TransferMessage, string> = {
  TransferRequestMessage: 'request',
  TransferStartMessage: 'start',
  TransferSuspensionMessage: 'suspension',
  TransferCompletionMessage: 'completion',
  TransferTerminationMessage: 'termination',
};

export function pidsOf(record: TransferProcess): { providerPid: string; consumerPid: string } {
  const { providerPid, consumerPid } = record;
  if (providerPid === undefined || consumerPid === undefined) throw new Error(`transfer ${record.id} lacks a pid`);
  return { providerPid, consumerPid };
}

export function ackOf(record: TransferProcess): TransferProcessAck {
  if (record.state === undefined) throw new Error(`transfer ${record.id} has no state to acknowledge`);
  return transferProcessAck({ ...pidsOf(record), state: record.state });
}

export function outboundUrl(record: TransferProcess, message: TransferMessage): string {
  const theirPid = record.role === 'consumer' ? record.providerPid : record.consumerPid;
  const path = theirPid === undefined ? `transfers/${SUFFIX[message]}` : `transfers/${encodeURIComponent(theirPid)}/${SUFFIX[message]}`;
  return dspUrl(record.counterpartyAddress, path);
}

export function enqueue(deps: TransferDeps, record: TransferProcess, outbox: OutboxEntry[], message: TransferMessage, body: Record<string, unknown>): void {
  const entry: OutboxEntry = {
    id: deps.ids.urn(),
    process: 'transfer',
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

export async function commitRecord(
  deps: TransferDeps,
  record: TransferProcess,
  expectedVersion: number | null,
  outbox: readonly OutboxEntry[],
  acknowledged?: AcknowledgedEntry,
): Promise<Result<TransferProcess>> {
  const stored: TransferProcess = { ...record, version: (expectedVersion ?? 0) + 1, updatedAt: isoTime(deps.clock) };
  const result = await deps.repository.commit({ record: stored, expectedVersion, outbox, ...(acknowledged === undefined ? {} : { acknowledged }) });
  return result.ok ? ok(stored) : result;
}
