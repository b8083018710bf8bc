/**
 * The transfer process state machine as data (dsp.md §6, conventions §4). `effects` name what
 * the receiving side does after the state change; each side's handlers interpret them
 * (the provider drives its data plane, the consumer keeps the data address).
 */
import type { TransferState, TransitionRule, TransitionTable } from '../dsp/index.js';

export const TRANSFER_STATES = ['REQUESTED', 'STARTED', 'SUSPENDED', 'COMPLETED', 'TERMINATED'] as const;

export const TRANSFER_MESSAGES = [
  'TransferRequestMessage',
  'TransferStartMessage',
  'TransferSuspensionMessage',
  'TransferCompletionMessage',
  'TransferTerminationMessage',
] as const;

export type TransferMessage = (typeof TRANSFER_MESSAGES)[number];

export type TransferEffect = 'requested' | 'started' | 'suspended' | 'completed' | 'terminated';

type Rule = TransitionRule<TransferState, TransferMessage, TransferEffect>;

const both = ['consumer', 'provider'] as const;

const rules: readonly Rule[] = [
  { from: 'initial', message: 'TransferRequestMessage', senders: ['consumer'], to: 'REQUESTED', effects: ['requested'] },
  { from: ['REQUESTED'], message: 'TransferStartMessage', senders: ['provider'], to: 'STARTED', effects: ['started'] },
  // Restart after suspension: the provider, or the consumer via /transfers/:providerPid/start.
  { from: ['SUSPENDED'], message: 'TransferStartMessage', senders: both, to: 'STARTED', effects: ['started'] },
  { from: ['STARTED'], message: 'TransferSuspensionMessage', senders: both, to: 'SUSPENDED', effects: ['suspended'] },
  { from: ['STARTED'], message: 'TransferCompletionMessage', senders: both, to: 'COMPLETED', effects: ['completed'] },
  { from: ['REQUESTED', 'STARTED', 'SUSPENDED'], message: 'TransferTerminationMessage', senders: both, to: 'TERMINATED', effects: ['terminated'] },
];

export const transferTable: TransitionTable<TransferState, TransferMessage, TransferEffect> = {
  protocol: 'transfer process',
  states: TRANSFER_STATES,
  terminal: ['COMPLETED', 'TERMINATED'],
  messages: TRANSFER_MESSAGES,
  illegalCode: 'SOV_TRANSFER_ILLEGAL_TRANSITION',
  rules,
};

/** Push formats carry the consumer's sink in the request; pull formats get the provider's source in the start message. */
export function isPushFormat(format: string): boolean {
  return /-push$/i.test(format);
}
