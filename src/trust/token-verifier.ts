/**
 * The callee's side of the caller token with its collaborators wired: the `kid` is looked up in
 * the caller's resolved DID document under `capabilityInvocation` (DCP §4.3.3, identity.md §6),
 * decoded as an Ed25519 Multikey and used to check the signature; replays are refused by the
 * persisted cache. Requests arrive with the path only, so the URL the caller signed is rebuilt
 * from this connector's public base URL.
 */
import type { Resolvable } from 'did-resolver';
import type { Clock } from '../clock/index.js';
import { fail, ok, type Result } from '../errors/index.js';
import { resolveDidDocument } from '../identity/index.js';
import { decodeMultikey, verifySignature, type VerifySignature } from '../kms/index.js';
import { verifyCallerToken, type BoundRequest, type VerifiedCaller } from './caller-token.js';
import { findKey, type DidDocumentLike } from './did-keys.js';
import type { ReplayCache } from './replay-cache.js';

export type CallerTokenVerifier = (token: string, request: BoundRequest) => Promise<Result<VerifiedCaller>>;

export interface CallerTokenVerifierOptions {
  selfDid: string;
  clock: Clock;
  replay: ReplayCache;
  didResolver: Resolvable;
  /** Default: kms's Ed25519 verification. */
  verify?: VerifySignature;
  skewSeconds?: number;
}

/** Resolves a token `kid` (`did#key`) to the raw Ed25519 key it names, if the DID authorises it for tokens. */
export function invocationKeyResolver(didResolver: Resolvable): (kid: string) => Promise<Result<Uint8Array>> {
  return async (kid) => {
    const did = kid.slice(0, kid.indexOf('#'));
    const doc = await resolveDidDocument(didResolver, did);
    if (!doc.ok) return fail('SOV_TRUST_DID_UNRESOLVABLE', `cannot resolve the caller ${did}: ${doc.detail}`, { did, cause: doc.code });
    const method = findKey(doc.value as DidDocumentLike, kid, 'capabilityInvocation');
    if (!method.ok) return method;
    const key = decodeMultikey(method.value.publicKeyMultibase ?? '');
    if (!key.ok || key.value.type !== 'Ed25519') return fail('SOV_TRUST_KEY_NOT_AUTHORISED', `key ${kid} is not an Ed25519 Multikey`, { kid });
    return ok(key.value.publicKey);
  };
}

export function createCallerTokenVerifier(options: CallerTokenVerifierOptions): CallerTokenVerifier {
  const deps = {
    selfDid: options.selfDid,
    clock: options.clock,
    replay: options.replay,
    verify: options.verify ?? verifySignature,
    resolveInvocationKey: invocationKeyResolver(options.didResolver),
    ...(options.skewSeconds === undefined ? {} : { skewSeconds: options.skewSeconds }),
  };
  return (token, request) => verifyCallerToken(token, request, deps);
}

/** The absolute URL a caller addressed, from the path and query express received. */
export function addressedUrl(publicBaseUrl: string, pathAndQuery: string): string {
  return new URL(pathAndQuery, new URL(publicBaseUrl).origin).href;
}

/** The token of an `Authorization: Bearer …` header (RFC 6750 §2.1), or undefined. */
export function bearerTokenOf(header: string | undefined): string | undefined {
  return /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header ?? '')?.[1];
}
