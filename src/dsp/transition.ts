/**
 * The one generic state-machine engine (conventions §4): protocol tables are data, and this
 * pure function reads them. Negotiation (dsp.md §5) and transfer (dsp.md §6) each supply a
 * table; nothing else in the code decides which message is legal in which state.
 */
import type { ErrorCode, Failure } from '../errors/index.js';
import { fail } from '../errors/index.js';
import type { Role } from './types.js';

/** `'initial'` marks a message that creates the process (there is no state yet). */
export type FromStates<S extends string> = 'initial' | readonly S[];

export interface TransitionRule<S extends string, M extends string, E extends string> {
  from: FromStates<S>;
  message: M;
  /** Who may send the message (DSP names the sender of every message). */
  senders: readonly Role[];
  to: S;
  /** What the receiving side does once the state has changed (interpreted by the handlers). */
  effects?: readonly E[];
}

export interface TransitionTable<S extends string, M extends string, E extends string> {
  protocol: string;
  states: readonly S[];
  terminal: readonly S[];
  messages: readonly M[];
  illegalCode: ErrorCode;
  rules: readonly TransitionRule<S, M, E>[];
}

export type TransitionResult<S extends string, E extends string> =
  | { ok: true; next: S; effects: readonly E[] }
  | Failure;

function matches<S extends string>(from: FromStates<S>, state: S | undefined): boolean {
  return from === 'initial' ? state === undefined : state !== undefined && from.includes(state);
}

/**
 * The next state when `sender` sends `message` while the process is in `state` (undefined: no
 * process yet), with the receiver's effects; otherwise the table's illegal-transition failure
 * naming the state, the message and the sender.
 */
export function transition<S extends string, M extends string, E extends string>(
  table: TransitionTable<S, M, E>,
  state: S | undefined,
  message: M,
  sender: Role,
): TransitionResult<S, E> {
  const rule = table.rules.find((r) => r.message === message && r.senders.includes(sender) && matches(r.from, state));
  if (rule) return { ok: true, next: rule.to, effects: rule.effects ?? [] };
  const where = state === undefined ? 'to start a new process' : `in state ${state}`;
  const allowedIn = table.rules
    .filter((r) => r.message === message && r.senders.includes(sender))
    .map((r) => (r.from === 'initial' ? 'initial' : r.from.join('|')));
  return fail(table.illegalCode, `${table.protocol}: ${message} from the ${sender} is not allowed ${where}`, {
    from: state ?? null,
    message,
    sender,
    allowedFrom: allowedIn,
  });
}
