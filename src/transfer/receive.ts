/**
 * The inbound pipeline of every transfer handler (both sides), as for negotiation: locate
 * (404 for unknown or foreign processes), plan with the shared engine, run the table's effects
 * on a draft, commit record + outbox together, ACK. A failure changes nothing.
 */
import {
  locateProcess,
  planInboundMessage,
  processForCaller,
  type InboundMessage,
  type OutboxEntry,
  type Role,
  type TransferProcessAck,
  type VerifiedCaller,
} from '../dsp/index.js';
import { ok, type Result } from '../errors/index.js';
import type { TransferProcess } from './entity.js';
import type { TransferDeps } from './ports.js';
import { ackOf, commitRecord } from './records.js';
import { transferTable, type TransferEffect, type TransferMessage } from './table.js';

export interface TransferOutcome {
  status: 200 | 201;
  ack: TransferProcessAck;
  transfer: TransferProcess;
  outbox: readonly OutboxEntry[];
  replayed: boolean;
}

export interface TransferEffectContext {
  deps: TransferDeps;
  caller: VerifiedCaller;
  body: Record<string, unknown>;
  sender: Role;
  record: TransferProcess;
  outbox: OutboxEntry[];
}

export type TransferEffectHandlers = Partial<Record<TransferEffect, (ctx: TransferEffectContext) => Promise<Result<void>>>>;

export async function receiveTransfer(
  deps: TransferDeps,
  caller: VerifiedCaller,
  inbound: InboundMessage<TransferProcess, TransferMessage>,
  handlers: TransferEffectHandlers,
): Promise<Result<TransferOutcome>> {
  const plan = await planInboundMessage(transferTable, inbound, (id) => deps.repository.outboxEntrySent(id));
  if (!('kind' in plan)) return plan;
  if (plan.kind === 'replay') return ok({ status: plan.status, ack: ackOf(plan.record), transfer: plan.record, outbox: [], replayed: true });
  const ctx: TransferEffectContext = { deps, caller, body: inbound.body, sender: plan.sender, record: plan.record, outbox: [] };
  for (const effect of plan.effects) {
    const handler = handlers[effect];
    if (!handler) throw new Error(`the ${inbound.ourRole} side has no handler for effect ${effect}`);
    const done = await handler(ctx);
    if (!done.ok) return done;
  }
  const committed = await commitRecord(deps, ctx.record, inbound.isNew ? null : inbound.record.version, ctx.outbox);
  if (!committed.ok) return committed;
  return ok({ status: plan.status, ack: ackOf(committed.value), transfer: committed.value, outbox: ctx.outbox, replayed: false });
}

const rules = { noun: 'transfer process', notFound: 'SOV_TRANSFER_NOT_FOUND', pidMismatch: 'SOV_TRANSFER_PID_MISMATCH' } as const;

export function locateTransfer(
  deps: TransferDeps,
  caller: VerifiedCaller,
  ourRole: Role,
  body: Record<string, unknown>,
  pathPid?: string,
): Promise<Result<TransferProcess>> {
  return locateProcess((id) => deps.repository.get(id), caller, ourRole, body, { ...rules, pathPid });
}

/** `GET /transfers/:pid` (provider; also served on the consumer side because the TCK calls it). */
export function transferStateFor(
  deps: Pick<TransferDeps, 'repository'>,
  caller: VerifiedCaller,
  ourRole: Role,
  pid: string,
): Promise<Result<TransferProcess>> {
  return processForCaller((id) => deps.repository.get(id), caller, ourRole, pid, rules);
}
