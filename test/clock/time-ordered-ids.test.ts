import { describe, expect, it } from 'vitest';
import { SimulatedClock, timeOrderedIds } from '../../src/clock/index.js';

const V7 = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function timestampOf(urn: string): number {
  return parseInt(urn.slice('urn:uuid:'.length).replace(/-/g, '').slice(0, 12), 16);
}

describe('time-ordered ids (UUID version 7, RFC 9562 §5.7)', () => {
  it('are version 7, variant 10 UUID URNs carrying the clock’s milliseconds', () => {
    const clock = new SimulatedClock(Date.UTC(2026, 10, 30, 6, 45, 12, 345));
    const id = timeOrderedIds(clock).urn();
    expect(id).toMatch(V7);
    expect(timestampOf(id)).toBe(clock.now());
  });

  it('sort in the order they were made as the clock moves, so they append to an index', () => {
    const clock = new SimulatedClock();
    const ids = timeOrderedIds(clock);
    const made: string[] = [];
    for (let i = 0; i < 500; i++) {
      made.push(ids.urn());
      clock.advance(1 + (i % 7));
    }
    expect([...made].sort()).toEqual(made);
  });

  it('stay unique within one millisecond (74 random bits)', () => {
    const ids = timeOrderedIds(new SimulatedClock());
    const made = new Set(Array.from({ length: 20_000 }, () => ids.urn()));
    expect(made.size).toBe(20_000);
  });

  it('keep a valid timestamp for a clock outside the 48-bit range', () => {
    expect(timestampOf(timeOrderedIds(new SimulatedClock(-5)).urn())).toBe(0);
    expect(timestampOf(timeOrderedIds(new SimulatedClock(2 ** 50)).urn())).toBe(2 ** 48 - 1);
  });
});
