/**
 * The one inbound pipeline every negotiation handler runs (both sides):
 * locate the process → recognise a repeated delivery → check the transition table → run the
 * table's effects on a draft → commit record + outbox in one transaction → ACK.
 * A failure at any step changes nothing.
 *
 * Acknowledgement by implication: our own message in flight moves our state only when it is
 * acknowledged (dsp.md §5), but the counterparty may answer it before our worker has seen the
 * 2xx. A message that is legal only after our pending one proves the counterparty accepted it,
 * so the pending transition is applied first.
 */
import { isoTime } from '../clock/index.js';
import { jsonDigest, transition, type ContractNegotiationAck, type OutboxEntry, type Role, type VerifiedCaller } from '../dsp/index.js';
import { fail, ok, type Failure, type Result } from '../errors/index.js';
import type { ContractNegotiation } from './entity.js';
import type { NegotiationDeps } from './ports.js';
import { ackOf, commitRecord } from './records.js';
import { negotiationTable, type NegotiationEffect, type NegotiationMessage } from './table.js';

export interface NegotiationOutcome {
  /** 201 for a message that created the process, else 200 (dsp.md §4). */
  status: 200 | 201;
  ack: ContractNegotiationAck;
  negotiation: ContractNegotiation;
  /** Messages queued for delivery by this step (already committed). */
  outbox: readonly OutboxEntry[];
  /** True when this was a repeated delivery answered from the stored state. */
  replayed: boolean;
}

export interface EffectContext {
  deps: NegotiationDeps;
  caller: VerifiedCaller;
  body: Record<string, unknown>;
  sender: Role;
  record: ContractNegotiation;
  outbox: OutboxEntry[];
}

/** The effects one side can run; the table never asks a side for an effect it lacks. */
export type EffectHandlers = Partial<Record<NegotiationEffect, (ctx: EffectContext) => Promise<Result<void>>>>;

export interface Inbound {
  ourRole: Role;
  message: NegotiationMessage;
  body: Record<string, unknown>;
  /** The existing record, or a fresh one for a process-creating message (`isNew`). */
  record: ContractNegotiation;
  isNew: boolean;
  /** The message starts a process (initial request or offer), whether or not one exists. */
  createsProcess: boolean;
}

type Step = { ok: true; record: ContractNegotiation; effects: readonly NegotiationEffect[] } | Failure;

function applyTransition(inbound: Inbound, sender: Role): Step {
  const { record, message } = inbound;
  const direct = transition(negotiationTable, record.state, message, sender);
  if (direct.ok) return { ok: true, record: { ...record, state: direct.next }, effects: direct.effects };
  if (!record.pending) return direct;
  const implied = transition(negotiationTable, record.state, record.pending.message, inbound.ourRole);
  if (!implied.ok) return direct;
  const after = transition(negotiationTable, implied.next, message, sender);
  if (!after.ok) return direct;
  return { ok: true, record: { ...record, state: after.next, pending: undefined }, effects: after.effects };
}

export async function receive(
  deps: NegotiationDeps,
  caller: VerifiedCaller,
  inbound: Inbound,
  handlers: EffectHandlers,
): Promise<Result<NegotiationOutcome>> {
  const digest = jsonDigest(inbound.body);
  const seen = inbound.isNew ? undefined : inbound.record.received[inbound.message];
  if (seen?.digest === digest) {
    return ok({ status: seen.status, ack: ackOf(inbound.record), negotiation: inbound.record, outbox: [], replayed: true });
  }
  if (inbound.createsProcess && !inbound.isNew) return pidReused(inbound.record);
  const sender: Role = inbound.ourRole === 'provider' ? 'consumer' : 'provider';
  const step = applyTransition(inbound, sender);
  if (!step.ok) return step;
  const status = inbound.isNew ? 201 : 200;
  const record: ContractNegotiation = structuredClone(step.record);
  record.received = { ...record.received, [inbound.message]: { digest, status } };
  const ctx: EffectContext = { deps, caller, body: inbound.body, sender, record, outbox: [] };
  for (const effect of step.effects) {
    const handler = handlers[effect];
    if (!handler) throw new Error(`the ${inbound.ourRole} side has no handler for effect ${effect}`);
    const done = await handler(ctx);
    if (!done.ok) return done;
  }
  const committed = await commitRecord(deps, ctx.record, inbound.isNew ? null : inbound.record.version, ctx.outbox);
  if (!committed.ok) return committed;
  return ok({ status, ack: ackOf(committed.value), negotiation: committed.value, outbox: ctx.outbox, replayed: false });
}

/** A process id is never reused (dsp.md §3), whatever state its negotiation is in. */
function pidReused(record: ContractNegotiation): Failure {
  const pid = record.role === 'provider' ? record.consumerPid : record.providerPid;
  return fail(negotiationTable.illegalCode, `Process id ${pid} already names a negotiation (state ${record.state ?? 'pending'})`, {
    from: record.state ?? null,
    pid,
  });
}

/** A fresh record for a process the counterparty starts (its fields completed by effects). */
export function freshRecord(
  deps: NegotiationDeps,
  fields: Pick<ContractNegotiation, 'role' | 'consumerPid' | 'providerPid' | 'counterpartyDid' | 'counterpartyAddress' | 'offer' | 'offerBy'> & { id: string },
): ContractNegotiation {
  const now = isoTime(deps.clock);
  return { ...fields, proofs: {}, received: {}, createdAt: now, updatedAt: now, version: 0 };
}
