/**
 * Connector-to-connector authentication in one call (design.md "Trust model"; identity.md
 * §7.3): verify the caller token bound to this request (signature with a capabilityInvocation
 * key of the caller's DID, audience = us, lifetime, replay), then prove the caller's membership
 * through its credential service. The DSP layer calls `authenticateCaller` directly, or mounts
 * it through `callerAuth` (src/http). 401 for anything wrong with the token, 403 for a caller
 * that is not (or no longer) a member of a registrar we trust.
 */
import { fail, ok, type Result } from '../errors/index.js';
import type { BoundRequest, StreamedBody } from './caller-token.js';
import type { VerifiedClaims } from './membership.js';
import type { MembershipVerifier } from './membership-verifier.js';
import { addressedUrl, bearerTokenOf, type CallerTokenVerifier } from './token-verifier.js';

/** What the HTTP edge knows of a received request. */
export interface CallerRequest {
  method: string;
  /** Path and query as received (express `req.originalUrl`), or the absolute URL. */
  url: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The exact body bytes (see `rawBodyOf`), or the stated digest of a streamed body; undefined when there was no body. */
  rawBody: Uint8Array | StreamedBody | undefined;
}

export type AuthenticateCaller = (request: CallerRequest) => Promise<Result<VerifiedClaims>>;

export interface CallerAuthenticatorOptions {
  /** This connector's public base URL: the URL callers sign is rebuilt from it. */
  publicBaseUrl: string;
  verifyToken: CallerTokenVerifier;
  membership: Pick<MembershipVerifier, 'claimsFor'>;
}

function header(headers: CallerRequest['headers'], name: string): string | undefined {
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export function createCallerAuthenticator(options: CallerAuthenticatorOptions): AuthenticateCaller {
  return async (request) => {
    const authorization = header(request.headers, 'authorization');
    if (authorization === undefined || authorization.trim() === '') {
      return fail('SOV_TRUST_TOKEN_MISSING', 'connector calls need a caller token (Authorization: Bearer <token>)');
    }
    const token = bearerTokenOf(authorization);
    if (token === undefined) return fail('SOV_TRUST_TOKEN_MALFORMED', 'the Authorization header must use the Bearer scheme');
    const bound: BoundRequest = {
      method: request.method,
      url: addressedUrl(options.publicBaseUrl, request.url),
      ...(request.rawBody === undefined ? {} : { body: request.rawBody }),
    };
    const caller = await options.verifyToken(token, bound);
    if (!caller.ok) return caller;
    const claims = await options.membership.claimsFor(caller.value.did);
    return claims.ok ? ok(claims.value) : claims;
  };
}
