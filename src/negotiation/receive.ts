/**
 * The one inbound pipeline every negotiation handler runs (both sides): plan the step with the
 * shared engine (replay, pid reuse, transition, implied acknowledgement; src/dsp/inbound.ts),
 * run the table's effects on a draft, commit record + outbox in one transaction, ACK.
 * A failure at any step changes nothing.
 */
import { isoTime } from '../clock/index.js';
import { planInboundMessage, type ContractNegotiationAck, type InboundMessage, type OutboxEntry, type Role, type VerifiedCaller } from '../dsp/index.js';
import { ok, type Result } from '../errors/index.js';
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

export type Inbound = InboundMessage<ContractNegotiation, NegotiationMessage>;

export async function receive(
  deps: NegotiationDeps,
  caller: VerifiedCaller,
  inbound: Inbound,
  handlers: EffectHandlers,
): Promise<Result<NegotiationOutcome>> {
  const plan = await planInboundMessage(negotiationTable, inbound, (id) => deps.repository.outboxEntrySent(id));
  if (!('kind' in plan)) return plan;
  if (plan.kind === 'replay') {
    return ok({ status: plan.status, ack: ackOf(plan.record), negotiation: plan.record, outbox: [], replayed: true });
  }
  const ctx: EffectContext = { deps, caller, body: inbound.body, sender: plan.sender, record: plan.record, outbox: [] };
  for (const effect of plan.effects) {
    const handler = handlers[effect];
    if (!handler) throw new Error(`the ${inbound.ourRole} side has no handler for effect ${effect}`);
    const done = await handler(ctx);
    if (!done.ok) return done;
  }
  const committed = await commitRecord(deps, ctx.record, inbound.isNew ? null : inbound.record.version, ctx.outbox);
  if (!committed.ok) return committed;
  return ok({ status: plan.status, ack: ackOf(committed.value), negotiation: committed.value, outbox: ctx.outbox, replayed: false });
}

/** A fresh record for a process started by either side (its fields completed by effects). */
export function freshRecord(
  deps: NegotiationDeps,
  fields: Pick<ContractNegotiation, 'role' | 'consumerPid' | 'providerPid' | 'counterpartyDid' | 'counterpartyAddress' | 'offer' | 'offerBy'> & Partial<Pick<ContractNegotiation, 'purpose'>> & { id: string },
): ContractNegotiation {
  const now = isoTime(deps.clock);
  return { ...fields, proofs: {}, received: {}, createdAt: now, updatedAt: now, version: 0 };
}
