/**
 * Every (state, message, sender) combination of the negotiation machine against dsp.md §5,
 * written out here independently of the table: allowed → the next state, anything else → the
 * illegal-transition failure naming state, message and sender.
 */
import { describe, expect, it } from 'vitest';
import { transition, type Role } from '../../src/dsp/index.js';
import { NEGOTIATION_MESSAGES, NEGOTIATION_STATES, negotiationTable } from '../../src/negotiation/index.js';

const REQ = 'ContractRequestMessage';
const OFF = 'ContractOfferMessage';
const AGR = 'ContractAgreementMessage';
const VER = 'ContractAgreementVerificationMessage';
const ACC = 'ContractNegotiationEventMessage:ACCEPTED';
const FIN = 'ContractNegotiationEventMessage:FINALIZED';
const TER = 'ContractNegotiationTerminationMessage';

// dsp.md §5, one line per allowed transition: from | message | sender → to.
const allowed: Record<string, string> = {
  'initial|ContractRequestMessage|consumer': 'REQUESTED',
  'initial|ContractOfferMessage|provider': 'OFFERED',
  [`REQUESTED|${OFF}|provider`]: 'OFFERED',
  [`REQUESTED|${AGR}|provider`]: 'AGREED',
  [`OFFERED|${REQ}|consumer`]: 'REQUESTED',
  [`OFFERED|${ACC}|consumer`]: 'ACCEPTED',
  [`ACCEPTED|${AGR}|provider`]: 'AGREED',
  [`AGREED|${VER}|consumer`]: 'VERIFIED',
  [`VERIFIED|${FIN}|provider`]: 'FINALIZED',
};
for (const state of ['REQUESTED', 'OFFERED', 'ACCEPTED', 'AGREED', 'VERIFIED']) {
  for (const sender of ['consumer', 'provider']) allowed[`${state}|${TER}|${sender}`] = 'TERMINATED';
}

const cases = (['initial', ...NEGOTIATION_STATES] as const).flatMap((state) =>
  NEGOTIATION_MESSAGES.flatMap((message) => (['consumer', 'provider'] as Role[]).map((sender) => ({ state, message, sender }))),
);

describe('negotiation transition table', () => {
  it('covers 8 states × 7 messages × 2 senders', () => {
    expect(cases).toHaveLength(8 * 7 * 2);
  });

  it.each(cases)('$state + $message from $sender', ({ state, message, sender }) => {
    const result = transition(negotiationTable, state === 'initial' ? undefined : state, message, sender);
    const expected = allowed[`${state}|${message}|${sender}`];
    if (expected) {
      expect(result).toMatchObject({ ok: true, next: expected });
      return;
    }
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe('SOV_NEG_ILLEGAL_TRANSITION');
    expect(result.data).toMatchObject({ from: state === 'initial' ? null : state, message, sender });
    expect(result.detail).toContain(message);
    expect(result.detail).toContain(sender);
  });

  it('lets nothing leave FINALIZED or TERMINATED', () => {
    for (const state of negotiationTable.terminal) {
      for (const message of NEGOTIATION_MESSAGES) {
        for (const sender of ['consumer', 'provider'] as Role[]) expect(transition(negotiationTable, state, message, sender).ok).toBe(false);
      }
    }
  });

  it('asks the provider to decide on a request and the consumer to check an agreement', () => {
    expect(transition(negotiationTable, undefined, REQ, 'consumer')).toMatchObject({ effects: ['storeOffer', 'decideOffer'] });
    expect(transition(negotiationTable, 'ACCEPTED', AGR, 'provider')).toMatchObject({ effects: ['checkAgreement'] });
    expect(transition(negotiationTable, 'AGREED', VER, 'consumer')).toMatchObject({ effects: ['decideVerification'] });
  });
});
