/**
 * Time, identifiers and randomness are injected (conventions §8) so domain code is a
 * deterministic function of its inputs and tests advance a simulated clock instead of sleeping.
 */
import { randomUUID } from 'node:crypto';

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to; for tests and for the demo's "injected clock". */
export class SimulatedClock implements Clock {
  constructor(private current: number = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    this.current += ms;
  }
  set(ms: number): void {
    this.current = ms;
  }
}

export interface IdGenerator {
  /** A fresh globally unique identifier as a URN (`urn:uuid:…`), as DSP uses for process ids. */
  urn(): string;
}

export const uuidGenerator: IdGenerator = { urn: () => `urn:uuid:${randomUUID()}` };

export function isoTime(clock: Clock): string {
  return new Date(clock.now()).toISOString();
}
