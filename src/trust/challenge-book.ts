/**
 * Single-use presentation challenges (identity.md §1, §7.3): a fresh random nonce per query,
 * remembered for whom it was issued and until when, and burnt on first use, so a presentation
 * captured earlier (signed for an old challenge) can never be accepted again.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock/index.js';

export interface ChallengeBook {
  issue(forDid: string): string;
  /** True once for a challenge issued to `forDid` and not yet expired; false afterwards. */
  burn(challenge: string, forDid: string): boolean;
}

export interface ChallengeBookOptions {
  clock: Clock;
  /** Default 60 s: a holder answers a query at once. */
  ttlMs?: number;
  /** Default: 128 random bits, base64url. */
  nonce?: () => string;
}

export function createChallengeBook(options: ChallengeBookOptions): ChallengeBook {
  const open = new Map<string, { did: string; expiresAt: number }>();
  const ttl = options.ttlMs ?? 60_000;
  const nonce = options.nonce ?? (() => randomBytes(16).toString('base64url'));
  const prune = (now: number): void => {
    for (const [challenge, entry] of open) if (entry.expiresAt <= now) open.delete(challenge);
  };
  return {
    issue(forDid) {
      const now = options.clock.now();
      prune(now);
      const challenge = nonce();
      if (open.has(challenge)) throw new Error('the nonce source repeated itself');
      open.set(challenge, { did: forDid, expiresAt: now + ttl });
      return challenge;
    },
    burn(challenge, forDid) {
      const entry = open.get(challenge);
      open.delete(challenge);
      return entry !== undefined && entry.did === forDid && entry.expiresAt > options.clock.now();
    },
  };
}
