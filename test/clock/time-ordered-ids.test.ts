import { describe, expect, it } from 'vitest';
import { SimulatedClock, timeOrderedIds } from '../../src/clock/index.js';

const V7 = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const hexOf = (urn: string) => urn.slice('urn:uuid:'.length).replace(/-/g, '');
const timestampOf = (urn: string) => parseInt(hexOf(urn).slice(0, 12), 16);

function make(clock: SimulatedClock, count: number, step: (i: number) => void = () => undefined): string[] {
  const ids = timeOrderedIds(clock);
  return Array.from({ length: count }, (_, i) => {
    step(i);
    return ids.urn();
  });
}

describe('time-ordered ids (UUID version 7, RFC 9562 §5.7)', () => {
  it('are version 7, variant 10 UUID URNs carrying the clock’s milliseconds', () => {
    const clock = new SimulatedClock(Date.UTC(2026, 10, 30, 6, 45, 12, 345));
    const [id] = make(clock, 1);
    expect(id).toMatch(V7);
    expect(timestampOf(id as string)).toBe(clock.now());
  });

  it('sort in the order one generator made them as the clock moves, so they append to an index', () => {
    const clock = new SimulatedClock();
    const made = make(clock, 500, (i) => clock.advance(i % 3 === 0 ? 1 + (i % 7) : 0));
    expect([...made].sort()).toEqual(made);
    expect(made.every((id) => V7.test(id))).toBe(true);
  });

  it('stay unique and in order while the clock stands still, carrying the time on only when the counter runs out', () => {
    const clock = new SimulatedClock();
    const made = make(clock, 20_000);
    expect(new Set(made).size).toBe(20_000);
    expect([...made].sort()).toEqual(made);
    expect(timestampOf(made[0] as string)).toBe(clock.now());
    // A 12-bit counter starting below 2048: at least 2048 ids a millisecond, at most 4096.
    const last = timestampOf(made[made.length - 1] as string) - clock.now();
    expect(last).toBeGreaterThanOrEqual(Math.floor(20_000 / 4096));
    expect(last).toBeLessThanOrEqual(Math.ceil(20_000 / 2048));
  });

  it('keep their order when the clock steps back, until it catches up', () => {
    const clock = new SimulatedClock(Date.UTC(2026, 10, 30));
    const made = make(clock, 10, (i) => clock.set(Date.UTC(2026, 10, 30) + (i < 5 ? i : i - 60_000)));
    expect([...made].sort()).toEqual(made);
    expect(timestampOf(made[9] as string)).toBe(Date.UTC(2026, 10, 30) + 4);
  });

  it('keep a valid timestamp for a clock outside the 48-bit range', () => {
    expect(timestampOf(make(new SimulatedClock(-5), 1)[0] as string)).toBe(0);
    const far = make(new SimulatedClock(2 ** 50), 5_000);
    expect(far.every((id) => V7.test(id) && timestampOf(id) === 2 ** 48 - 1)).toBe(true);
    expect(new Set(far).size).toBe(5_000);
  });
});
