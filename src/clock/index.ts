/**
 * Time, identifiers and randomness are injected (conventions §8) so domain code is a
 * deterministic function of its inputs and tests advance a simulated clock instead of sleeping.
 */
import { randomFillSync, randomUUID } from 'node:crypto';

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

/** Random (version 4) UUIDs: for ids that are not stored as keys, and where no clock is at hand. */
export const uuidGenerator: IdGenerator = { urn: () => `urn:uuid:${randomUUID()}` };

/** The largest 48-bit millisecond timestamp a version 7 UUID can carry. */
const MAX_UUID_MS = 2 ** 48 - 1;

/**
 * Time-ordered (version 7) UUIDs, RFC 9562 §5.7: the first 48 bits are `clock`'s Unix
 * milliseconds, then a 12-bit counter (§6.2 method 1) and 62 random bits. Process and
 * agreement ids become keys of the store's B-trees (primary keys, the audit's subject index):
 * ids created in time order land on the same few rightmost pages, where random ids dirtied
 * a leaf page each, and every dirty page is written at each commit — with these ids the
 * two-process negotiation bench spent ~18% less CPU per negotiation (dsp-processes.bench.ts).
 * The counter keeps one generator's ids in creation order within a millisecond and when the
 * clock stands still or steps back (then the timestamp is carried on, moving ahead by a
 * millisecond whenever the counter runs out). An id tells when its record was made: the
 * connector uses them where whoever sees the id knows that time anyway (a process or agreement
 * its counterparty saw begin); ids published to every member or handed to consumers (offerings,
 * offers, datasets) stay random (`uuidGenerator`), so they do not tell when data was added or
 * its policy changed.
 */
export function timeOrderedIds(clock: Clock): IdGenerator {
  let lastMs = -1;
  let counter = 0;
  return {
    urn() {
      const ms = Math.min(Math.max(Math.floor(clock.now()), 0), MAX_UUID_MS);
      const random = randomIdBytes();
      if (ms > lastMs) {
        lastMs = ms;
        counter = freshCounter(random);
      } else if (counter < MAX_COUNTER) {
        counter += 1;
      } else {
        lastMs = Math.min(lastMs + 1, MAX_UUID_MS);
        counter = freshCounter(random);
      }
      return `urn:uuid:${uuidV7(lastMs, counter, random)}`;
    },
  };
}

const MAX_COUNTER = 0xfff;

/** A counter's start for a new millisecond: random, its top bit clear so it has room to count (§6.2). */
const freshCounter = (random: Buffer): number => ((random[6]! << 8) | random[7]!) & 0x7ff;

/**
 * Random bytes are drawn from the CSPRNG 128 ids at a time, as Node's own randomUUID does:
 * one getrandom call per id was ~1.4% of the provider's CPU on the negotiation bench.
 */
const POOL_IDS = 128;
const pool = Buffer.alloc(16 * POOL_IDS);
let poolNext = POOL_IDS;

function randomIdBytes(): Buffer {
  if (poolNext === POOL_IDS) {
    randomFillSync(pool);
    poolNext = 0;
  }
  // Each 16 bytes are handed out once, so the caller may write its fields over them in place.
  const bytes = pool.subarray(16 * poolNext, 16 * poolNext + 16);
  poolNext += 1;
  return bytes;
}

function uuidV7(ms: number, counter: number, bytes: Buffer): string {
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (counter >> 8); // version 7, then the counter's top 4 bits
  bytes[7] = counter & 0xff;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // variant 10 (RFC 9562 §4.1)
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function isoTime(clock: Clock): string {
  return new Date(clock.now()).toISOString();
}
