/**
 * The protocol-independent half of handling an inbound DSP message, shared by negotiation and
 * transfer: recognise a repeated delivery, refuse a reused process id, and find the
 * transition — applying our own in-flight message first when the counterparty's message
 * proves it was acknowledged (a DSP state moves on acknowledgement, dsp.md §5, and the
 * counterparty may answer before our worker has seen its 2xx). Only a message that has left
 * our outbox can have been acknowledged: one still queued, never sent, proves nothing, and the
 * counterparty's message is then the invalid transition it is (dsp.md §4: 400, nothing changes).
 * `planInbound` is pure; `planInboundMessage` asks the outbox when that question arises.
 */
import { fail, type Failure } from '../errors/index.js';
import { jsonDigest } from './digest.js';
import { transition, type TransitionTable } from './transition.js';
import type { Role } from './types.js';

/** The fields the engine needs from a negotiation or transfer record. */
export interface ProcessRecord<S extends string, M extends string> {
  id: string;
  role: Role;
  state?: S;
  pending?: { message: M; outboxId: string };
  /** Digest and status of the latest message of each kind received (idempotent replays). */
  received: Partial<Record<M, { digest: string; status: 200 | 201 }>>;
  version: number;
}

export interface InboundMessage<R, M extends string> {
  ourRole: Role;
  message: M;
  body: Record<string, unknown>;
  /** The existing record, or a fresh one when `isNew`. */
  record: R;
  isNew: boolean;
  /** The message starts a process (initial request/offer), whether or not one exists. */
  createsProcess: boolean;
  /** Our pending message (`record.pending`) has left the outbox at least once; default false. */
  pendingSent?: boolean;
}

export type InboundPlan<R, E extends string> =
  | { kind: 'replay'; status: 200 | 201; record: R }
  | { kind: 'apply'; status: 200 | 201; record: R; effects: readonly E[]; sender: Role }
  | Failure;

export function counterpartyOf(role: Role): Role {
  return role === 'provider' ? 'consumer' : 'provider';
}

function step<S extends string, M extends string, E extends string, R extends ProcessRecord<S, M>>(
  table: TransitionTable<S, M, E>,
  inbound: InboundMessage<R, M>,
  sender: Role,
): { record: R; effects: readonly E[] } | Failure {
  const { record, message } = inbound;
  const direct = transition(table, record.state, message, sender);
  if (direct.ok) return { record: { ...record, state: direct.next }, effects: direct.effects };
  if (!record.pending || inbound.pendingSent !== true) return direct;
  const implied = transition(table, record.state, record.pending.message, inbound.ourRole);
  const after = implied.ok ? transition(table, implied.next, message, sender) : implied;
  if (!after.ok) return direct;
  return { record: { ...record, state: after.next, pending: undefined }, effects: after.effects };
}

export function planInbound<S extends string, M extends string, E extends string, R extends ProcessRecord<S, M>>(
  table: TransitionTable<S, M, E>,
  inbound: InboundMessage<R, M>,
): InboundPlan<R, E> {
  const digest = jsonDigest(inbound.body);
  const seen = inbound.isNew ? undefined : inbound.record.received[inbound.message];
  const replay = seen?.digest === digest ? ({ kind: 'replay', status: seen.status, record: inbound.record } as const) : undefined;
  if (inbound.createsProcess && !inbound.isNew) return replay ?? pidReused(table, inbound);
  const sender = counterpartyOf(inbound.ourRole);
  const next = step(table, inbound, sender);
  // DSP messages carry no id, so identical bodies may legitimately recur (a resume start with
  // the same address): only a message that is no longer legal counts as a repeated delivery.
  if ('ok' in next) return replay ?? next;
  const status = inbound.isNew ? 201 : 200;
  const record = structuredClone(next.record);
  record.received = { ...record.received, [inbound.message]: { digest, status } };
  return { kind: 'apply', status, record, effects: next.effects, sender };
}

/**
 * `planInbound`, asking `sent` whether our pending message ever left the outbox only when the
 * message does not apply without it (one look-up on that rare path, none on the usual one).
 */
export async function planInboundMessage<S extends string, M extends string, E extends string, R extends ProcessRecord<S, M>>(
  table: TransitionTable<S, M, E>,
  inbound: InboundMessage<R, M>,
  sent: (outboxId: string) => Promise<boolean>,
): Promise<InboundPlan<R, E>> {
  const plan = planInbound(table, inbound);
  const pending = inbound.isNew ? undefined : inbound.record.pending;
  if ('kind' in plan || pending === undefined || !(await sent(pending.outboxId))) return plan;
  return planInbound(table, { ...inbound, pendingSent: true });
}

function pidReused<S extends string, M extends string, E extends string, R extends ProcessRecord<S, M>>(
  table: TransitionTable<S, M, E>,
  inbound: InboundMessage<R, M>,
): Failure {
  const state = inbound.record.state ?? 'pending';
  return fail(table.illegalCode, `${table.protocol}: the process id already names a process (state ${state})`, {
    from: inbound.record.state ?? null,
    message: inbound.message,
  });
}
