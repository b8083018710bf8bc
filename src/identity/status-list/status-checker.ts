/**
 * Verifier side of Bitstring Status List 1.0 (identity.md §4, BSL §3.2 "Validate Algorithm"):
 * fetch the list credential, verify its proof and validity, require the same issuer and
 * status purpose, a list of at least 131,072 bits and an index in range, then read the bit.
 * Verified lists are cached until min(validUntil, ttl, maxCacheMs). Anything that prevents a
 * definite answer fails closed with SOV_IDENTITY_STATUS_UNAVAILABLE.
 * Trap (identity.md §4): the library's `verified: true` only means the check ran; here a set
 * bit is a refusal.
 */
import { decodeList, type BitstringStatusList } from '@digitalbazaar/vc-bitstring-status-list';
import type { Clock } from '../../clock/index.js';
import { fail, ok, type Failure, type Result } from '../../errors/index.js';
import type { StatusListSource } from '../document-loader.js';
import { issuerId, typesOf, type ParsedCredential } from '../verification-checks.js';
import { MIN_STATUS_LIST_LENGTH } from './status-list-state.js';
import { parseStatusEntries, type ParsedStatusEntry } from './status-entries.js';

export interface StatusCheckerOptions {
  clock: Clock;
  /** Fetches a status list credential (unverified JSON); e.g. a bounded HTTP GET. */
  fetchListCredential: (url: string) => Promise<Result<unknown>>;
  /** Upper bound on caching a verified list; default 5 minutes. */
  maxCacheMs?: number;
}

export type ListVerifier = (listCredential: unknown) => Promise<{ verified: boolean; errors: Failure[] }>;

export interface StatusChecker extends StatusListSource {
  /** ok when every status entry of `credential` reads 0; otherwise the reason. */
  check(credential: ParsedCredential, verifyList: ListVerifier): Promise<Result<void>>;
}

interface CachedList {
  credential: Record<string, unknown>;
  issuer: string;
  statusPurpose: string;
  bits: BitstringStatusList;
  expiresAt: number;
}

const unavailable = (url: string, reason: string): Failure =>
  fail('SOV_IDENTITY_STATUS_UNAVAILABLE', `status list ${url} cannot be used: ${reason}`, { statusListCredential: url });

function cacheUntil(credential: Record<string, unknown>, fetchedAt: number, maxCacheMs: number): number {
  const subject = credential['credentialSubject'] as { ttl?: unknown };
  const validUntil = typeof credential['validUntil'] === 'string' ? Date.parse(credential['validUntil']) : Infinity;
  // BSL §2.2: `ttl` is in milliseconds.
  const ttl = typeof subject.ttl === 'number' && subject.ttl > 0 ? fetchedAt + subject.ttl : Infinity;
  return Math.min(validUntil, ttl, fetchedAt + maxCacheMs);
}

async function decodeVerifiedList(url: string, document: unknown, verifyList: ListVerifier, now: number, maxCacheMs: number): Promise<Result<CachedList>> {
  const verification = await verifyList(document);
  if (!verification.verified) {
    return unavailable(url, `its credential does not verify (${verification.errors.map((e) => e.detail).join('; ')})`);
  }
  const credential = document as ParsedCredential;
  const subject = credential.credentialSubject as { type?: unknown; statusPurpose?: unknown; encodedList?: unknown };
  if (!typesOf(credential).includes('BitstringStatusListCredential') || subject.type !== 'BitstringStatusList') {
    return unavailable(url, 'it is not a BitstringStatusListCredential');
  }
  if (typeof subject.encodedList !== 'string' || typeof subject.statusPurpose !== 'string') {
    return unavailable(url, 'encodedList or statusPurpose is missing');
  }
  try {
    const bits = await decodeList({ encodedList: subject.encodedList });
    const expiresAt = cacheUntil(credential, now, maxCacheMs);
    return ok({ credential, issuer: issuerId(credential), statusPurpose: subject.statusPurpose, bits, expiresAt });
  } catch (error) {
    return unavailable(url, `encodedList does not decode (${String(error)})`);
  }
}

function readBit(entry: ParsedStatusEntry, list: CachedList, issuer: string, credentialId: string): Result<void> {
  const url = entry.statusListCredential;
  if (list.issuer !== issuer) return unavailable(url, `it is issued by ${list.issuer}, not by the credential issuer ${issuer}`);
  if (list.statusPurpose !== entry.statusPurpose) return unavailable(url, `its purpose is ${list.statusPurpose}, the entry's is ${entry.statusPurpose}`);
  if (list.bits.length < MIN_STATUS_LIST_LENGTH) return unavailable(url, `it has ${list.bits.length} entries, fewer than ${MIN_STATUS_LIST_LENGTH}`);
  if (entry.index >= list.bits.length) return unavailable(url, `index ${entry.index} is out of range`);
  if (!list.bits.getStatus(entry.index)) return ok(undefined);
  const state = entry.statusPurpose === 'revocation' ? 'revoked' : 'suspended';
  return fail('SOV_IDENTITY_CREDENTIAL_REVOKED', `${credentialId} is ${state} (status list ${url}, index ${entry.index})`, {
    statusPurpose: entry.statusPurpose,
    statusListCredential: url,
  });
}

export function createStatusChecker(options: StatusCheckerOptions): StatusChecker {
  const cache = new Map<string, CachedList>();
  const maxCacheMs = options.maxCacheMs ?? 5 * 60_000;

  async function load(url: string, verifyList: ListVerifier): Promise<Result<CachedList>> {
    const now = options.clock.now();
    const cached = cache.get(url);
    if (cached !== undefined && cached.expiresAt > now) return ok(cached);
    cache.delete(url);
    const fetched = await options.fetchListCredential(url);
    if (!fetched.ok) return unavailable(url, fetched.detail);
    const decoded = await decodeVerifiedList(url, fetched.value, verifyList, now, maxCacheMs);
    if (decoded.ok && decoded.value.expiresAt > now) cache.set(url, decoded.value);
    return decoded;
  }

  return {
    cached(url) {
      const entry = cache.get(url);
      return entry !== undefined && entry.expiresAt > options.clock.now() ? entry.credential : undefined;
    },
    async check(credential, verifyList) {
      const entries = parseStatusEntries(credential);
      if (!entries.ok) return entries;
      for (const entry of entries.value) {
        const list = await load(entry.statusListCredential, verifyList);
        if (!list.ok) return list;
        const bit = readBit(entry, list.value, issuerId(credential), credential.id ?? 'the credential');
        if (!bit.ok) return bit;
      }
      return ok(undefined);
    },
  };
}
