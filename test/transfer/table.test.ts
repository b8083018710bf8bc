/** Every (state, message, sender) combination of the transfer machine against dsp.md §6. */
import { describe, expect, it } from 'vitest';
import { transition, type Role } from '../../src/dsp/index.js';
import { isPushFormat, TRANSFER_MESSAGES, TRANSFER_STATES, transferTable } from '../../src/transfer/index.js';

const allowed: Record<string, string> = {
  'initial|TransferRequestMessage|consumer': 'REQUESTED',
  'REQUESTED|TransferStartMessage|provider': 'STARTED',
  'SUSPENDED|TransferStartMessage|provider': 'STARTED',
  'SUSPENDED|TransferStartMessage|consumer': 'STARTED',
};
for (const sender of ['consumer', 'provider']) {
  allowed[`STARTED|TransferSuspensionMessage|${sender}`] = 'SUSPENDED';
  allowed[`STARTED|TransferCompletionMessage|${sender}`] = 'COMPLETED';
  for (const state of ['REQUESTED', 'STARTED', 'SUSPENDED']) allowed[`${state}|TransferTerminationMessage|${sender}`] = 'TERMINATED';
}

const cases = (['initial', ...TRANSFER_STATES] as const).flatMap((state) =>
  TRANSFER_MESSAGES.flatMap((message) => (['consumer', 'provider'] as Role[]).map((sender) => ({ state, message, sender }))),
);

describe('transfer transition table', () => {
  it('covers 6 states × 5 messages × 2 senders', () => {
    expect(cases).toHaveLength(6 * 5 * 2);
  });

  it.each(cases)('$state + $message from $sender', ({ state, message, sender }) => {
    const result = transition(transferTable, state === 'initial' ? undefined : state, message, sender);
    const expected = allowed[`${state}|${message}|${sender}`];
    if (expected) {
      expect(result).toMatchObject({ ok: true, next: expected });
      return;
    }
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe('SOV_TRANSFER_ILLEGAL_TRANSITION');
    expect(result.data).toMatchObject({ from: state === 'initial' ? null : state, message, sender });
  });

  it('tells push formats from pull formats by their suffix', () => {
    expect([isPushFormat('HttpData-PUSH'), isPushFormat('AmazonS3-push'), isPushFormat('HttpData-PULL')]).toEqual([true, true, false]);
  });
});
