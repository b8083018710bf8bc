/**
 * The verifier side of the membership check (design.md "Trust model"; identity.md §7.3): on
 * first contact, or once the cached verdict lapses, resolve the caller's DID, find its
 * `CredentialService`, query it (with our own caller token) for a membership presentation
 * signed for a fresh single-use challenge and for our DID, and judge it. A verdict is cached
 * until min(10 minutes, the credential's validUntil, the status list's expiry), by the injected
 * clock, so a revocation is seen at the latest when the registrar's list is next re-read.
 */
import type { Resolvable } from 'did-resolver';
import type { Clock } from '../clock/index.js';
import { fail, ok, type Result } from '../errors/index.js';
import { resolveDidDocument, serviceEndpoint, type ConnectorIdentity } from '../identity/index.js';
import { createChallengeBook, type ChallengeBook } from './challenge-book.js';
import type { ConnectorClient } from './connector-client.js';
import { MEMBERSHIP_CREDENTIAL_TYPE, type VerifiedClaims } from './membership.js';
import { checkMembershipPresentation } from './membership-check.js';
import { presentationQuery, presentationResponseSchema } from './presentation-query.js';
import type { TrustList } from './trust-list.js';

export const DEFAULT_MEMBERSHIP_CACHE_MS = 10 * 60_000;

export interface MembershipVerifierOptions {
  /** Our DID: the presentation's domain. */
  selfDid: string;
  /** Verifies presentations (its status checker also tells how long the list stays fresh). */
  identity: Pick<ConnectorIdentity, 'verifyPresentation' | 'statusChecker'>;
  trustList: TrustList;
  clock: Clock;
  /** Resolves callers' DIDs (share the connector's cached resolver). */
  didResolver: Resolvable;
  /** Sends the query with our caller token (aud = the caller). */
  client: Pick<ConnectorClient, 'post'>;
  /** Upper bound of a cached verdict; default 10 minutes. */
  cacheMs?: number;
  /** Default 1000 callers; the oldest verdict is dropped beyond it. */
  maxCacheEntries?: number;
  challenges?: ChallengeBook;
  /** Told the outcome of every presentation actually checked (not of cached verdicts), e.g. to audit it. */
  onVerdict?: (callerDid: string, verdict: Result<VerifiedClaims>) => Promise<void>;
}

export interface MembershipVerifier {
  /** The caller's verified membership claims, from cache or by querying its credential service. */
  claimsFor(callerDid: string): Promise<Result<VerifiedClaims>>;
  /** Drops a cached verdict, e.g. when an operator learns of a revocation out of band. */
  forget(callerDid: string): void;
}

/** When the status lists the credential refers to stop being fresh (BSL §2.2: validUntil, ttl in ms). */
function statusFreshUntil(credential: unknown, statusChecker: ConnectorIdentity['statusChecker'], now: number): number {
  const entries = [(credential as { credentialStatus?: unknown }).credentialStatus ?? []].flat() as Array<{ statusListCredential?: unknown }>;
  let until = Infinity;
  for (const entry of entries) {
    const list = typeof entry.statusListCredential === 'string' ? statusChecker.cached(entry.statusListCredential) : undefined;
    if (list === undefined) return now;
    const validUntil = typeof list['validUntil'] === 'string' ? Date.parse(list['validUntil']) : Infinity;
    const ttl = (list['credentialSubject'] as { ttl?: unknown } | undefined)?.ttl;
    until = Math.min(until, validUntil, typeof ttl === 'number' ? now + ttl : Infinity);
  }
  return until;
}

export function createMembershipVerifier(options: MembershipVerifierOptions): MembershipVerifier {
  const { clock } = options;
  const cacheMs = options.cacheMs ?? DEFAULT_MEMBERSHIP_CACHE_MS;
  const maxEntries = options.maxCacheEntries ?? 1000;
  const challenges = options.challenges ?? createChallengeBook({ clock });
  const cache = new Map<string, { claims: VerifiedClaims; expiresAt: number }>();
  const inFlight = new Map<string, Promise<Result<VerifiedClaims>>>();

  async function queryPresentation(callerDid: string, challenge: string): Promise<Result<unknown>> {
    const doc = await resolveDidDocument(options.didResolver, callerDid);
    if (!doc.ok) return fail('SOV_TRUST_MEMBERSHIP_UNVERIFIABLE', `cannot resolve ${callerDid}: ${doc.detail}`, { did: callerDid });
    const endpoint = serviceEndpoint(doc.value, 'CredentialService');
    if (endpoint === undefined) return fail('SOV_TRUST_NOT_A_MEMBER', `${callerDid} publishes no CredentialService to present a membership from`, { did: callerDid });
    const url = `${endpoint.replace(/\/+$/, '')}/presentations/query`;
    const query = presentationQuery({ types: [MEMBERSHIP_CREDENTIAL_TYPE], challenge, domain: options.selfDid });
    const answer = await options.client.post(url, callerDid, query);
    if (!answer.ok) return fail('SOV_TRUST_MEMBERSHIP_UNVERIFIABLE', `the credential service of ${callerDid} did not answer: ${answer.detail}`, { did: callerDid });
    const code = (answer.value.body as { code?: unknown } | undefined)?.code;
    if (answer.value.status !== 200) {
      return fail('SOV_TRUST_MEMBERSHIP_UNVERIFIABLE', `the credential service of ${callerDid} answered ${answer.value.status}${typeof code === 'string' ? ` (${code})` : ''}`, { did: callerDid });
    }
    const response = presentationResponseSchema.safeParse(answer.value.body);
    if (!response.success) return fail('SOV_TRUST_MEMBERSHIP_UNVERIFIABLE', `the credential service of ${callerDid} sent no PresentationResponseMessage`, { did: callerDid });
    return ok(response.data.presentation[0]);
  }

  async function verifyNow(callerDid: string): Promise<Result<VerifiedClaims>> {
    const challenge = challenges.issue(callerDid);
    const presentation = await queryPresentation(callerDid, challenge);
    // Burnt whatever happens next: a challenge is good for one answer only.
    const fresh = challenges.burn(challenge, callerDid);
    if (!presentation.ok) return presentation;
    if (!fresh) return fail('SOV_TRUST_CHALLENGE_UNKNOWN', `the answer of ${callerDid} came after its challenge expired`, { did: callerDid });
    const claims = await checkMembershipPresentation(presentation.value, callerDid, challenge, options);
    if (!claims.ok) return claims;
    const now = clock.now();
    const credential = [(presentation.value as { verifiableCredential?: unknown }).verifiableCredential].flat().find((c) => (c as { id?: unknown })?.id === claims.value.membershipCredentialId);
    const expiresAt = Math.min(now + cacheMs, Date.parse(claims.value.validUntil), statusFreshUntil(credential, options.identity.statusChecker, now));
    if (expiresAt > now) {
      cache.delete(callerDid);
      cache.set(callerDid, { claims: claims.value, expiresAt });
      if (cache.size > maxEntries) cache.delete(cache.keys().next().value as string);
    }
    return claims;
  }

  async function checkAndReport(callerDid: string): Promise<Result<VerifiedClaims>> {
    const verdict = await verifyNow(callerDid);
    await options.onVerdict?.(callerDid, verdict);
    return verdict;
  }

  return {
    async claimsFor(callerDid) {
      const cached = cache.get(callerDid);
      if (cached !== undefined && cached.expiresAt > clock.now()) return ok(cached.claims);
      cache.delete(callerDid);
      // Concurrent first calls from one caller share one query.
      const running = inFlight.get(callerDid) ?? checkAndReport(callerDid).finally(() => inFlight.delete(callerDid));
      inFlight.set(callerDid, running);
      return running;
    },
    forget: (callerDid) => {
      cache.delete(callerDid);
    },
  };
}
