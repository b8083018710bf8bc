/**
 * Connector-to-connector authentication, shaped like the DCP Self-Issued ID Token
 * (DCP 1.0 §4.3; identity.md §6-7): a compact JWS (RFC 7515) with `alg: EdDSA`, where
 * `iss` = `sub` = the caller's DID, `aud` = the callee's DID, `exp` at most 5 minutes after
 * `iat`, and a unique `jti`. It is also bound to one request (`htm`, `htu`, and the body's
 * SHA-256 in `bsh`), so a token lifted from one call cannot authorise another.
 */
import { createHash } from 'node:crypto';
import type { Clock, IdGenerator } from '../clock/index.js';
import { fail, ok, type Result } from '../errors/index.js';
import type { Kms, VerifySignature } from '../kms/ports.js';
import type { ReplayCache } from './replay-cache.js';

/** DCP caps the token lifetime; design.md fixes ours at five minutes. */
export const MAX_TOKEN_LIFETIME_S = 300;
export const DEFAULT_TOKEN_LIFETIME_S = 120;
export const DEFAULT_CLOCK_SKEW_S = 60;

/**
 * A body too large to hold in memory (a pushed container, issue 7): the caller hashes it
 * beforehand and states its SHA-256 (base64url) here; the callee takes the token on that stated
 * digest and checks the bytes against it as they stream in, refusing them at their end
 * (src/http `streamedCallerAuth`), so `bsh` binds the body exactly as for a held one.
 */
export interface StreamedBody {
  readonly sha256: string;
}

export interface BoundRequest {
  method: string;
  /** Absolute URL the caller addressed. */
  url: string;
  body?: Uint8Array | string | StreamedBody;
}

export interface CallerTokenClaims {
  iss: string;
  sub: string;
  aud: string;
  jti: string;
  iat: number;
  exp: number;
  htm: string;
  htu: string;
  bsh: string;
}

/** The slice of kms a caller needs: its active signing key id and a signature with it. */
export type TokenSigner = Pick<Kms, 'sign' | 'activeSigningKey'>;

const encoder = new TextEncoder();
const b64u = (bytes: Uint8Array | string): string => Buffer.from(bytes).toString('base64url');

export function bodyDigest(body: BoundRequest['body']): string {
  if (body instanceof Uint8Array || typeof body === 'string' || body === undefined) return createHash('sha256').update(body ?? '').digest('base64url');
  return body.sha256;
}

/**
 * The body digest (`bsh`) a caller token states, read WITHOUT verifying the token: only for a
 * callee that streams the body, which then verifies the token on this digest (`StreamedBody`)
 * — a forged claim fails the signature — and checks the bytes against it as they arrive.
 */
export function statedBodyDigest(token: string): string | undefined {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { bsh?: unknown };
    return typeof claims.bsh === 'string' ? claims.bsh : undefined;
  } catch {
    return undefined;
  }
}

/** Normalises a URL so caller and callee compare the same string (no fragment, no default port). */
export function normaliseUrl(url: string): string {
  const parsed = new URL(url);
  parsed.hash = '';
  return parsed.toString();
}

export async function issueCallerToken(options: {
  signer: TokenSigner;
  callerDid: string;
  audienceDid: string;
  request: BoundRequest;
  clock: Clock;
  ids: IdGenerator;
  lifetimeSeconds?: number;
}): Promise<string> {
  const lifetime = Math.min(options.lifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_S, MAX_TOKEN_LIFETIME_S);
  const iat = Math.floor(options.clock.now() / 1000);
  const claims: CallerTokenClaims = {
    iss: options.callerDid,
    sub: options.callerDid,
    aud: options.audienceDid,
    jti: options.ids.urn(),
    iat,
    exp: iat + lifetime,
    htm: options.request.method.toUpperCase(),
    htu: normaliseUrl(options.request.url),
    bsh: bodyDigest(options.request.body),
  };
  // The kid names a capabilityInvocation key of the caller's DID (DCP §4.3.3); it is part of
  // the signed header, so the key is chosen first and then used explicitly.
  const { keyId } = options.signer.activeSigningKey();
  const header = { alg: 'EdDSA', typ: 'JWT', kid: `${options.callerDid}#${keyId}` };
  const signingInput = `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(claims))}`;
  const { signature } = await options.signer.sign(encoder.encode(signingInput), keyId);
  return `${signingInput}.${b64u(signature)}`;
}

export interface VerifiedCaller {
  did: string;
  keyId: string;
  claims: CallerTokenClaims;
}

export interface TokenVerificationDeps {
  /** This connector's DID: the only audience it accepts. */
  selfDid: string;
  clock: Clock;
  replay: ReplayCache;
  verify: VerifySignature;
  /** Resolves a `did#key` id to its raw Ed25519 public key, checking it is a capabilityInvocation key of `did`. */
  resolveInvocationKey(kid: string): Promise<Result<Uint8Array>>;
  skewSeconds?: number;
}

interface ParsedToken {
  header: { alg?: unknown; kid?: unknown };
  claims: Partial<Record<keyof CallerTokenClaims, unknown>>;
  signingInput: string;
  signature: Uint8Array;
}

function parseToken(token: string): Result<ParsedToken> {
  const parts = token.split('.');
  if (parts.length !== 3) return fail('SOV_TRUST_TOKEN_MALFORMED', 'the bearer token is not a compact JWS (three base64url parts)');
  const [head, body, sig] = parts as [string, string, string];
  try {
    const header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as ParsedToken['header'];
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as ParsedToken['claims'];
    if (typeof header !== 'object' || header === null || typeof claims !== 'object' || claims === null) {
      return fail('SOV_TRUST_TOKEN_MALFORMED', 'the token header and claims must be JSON objects');
    }
    return ok({ header, claims, signingInput: `${head}.${body}`, signature: Buffer.from(sig, 'base64url') });
  } catch {
    return fail('SOV_TRUST_TOKEN_MALFORMED', 'the token header or claims are not base64url-encoded JSON');
  }
}

/** Structure and audience: checked before any DID resolution, so foreign tokens cost nothing. */
function checkShape(parsed: ParsedToken, selfDid: string): Result<CallerTokenClaims> {
  const c = parsed.claims;
  for (const name of ['iss', 'sub', 'aud', 'jti', 'htm', 'htu', 'bsh'] as const) {
    if (typeof c[name] !== 'string' || (c[name] as string).length === 0) {
      return fail('SOV_TRUST_TOKEN_MALFORMED', `the token claim "${name}" is missing or not a string`);
    }
  }
  if (typeof c.iat !== 'number' || typeof c.exp !== 'number') return fail('SOV_TRUST_TOKEN_MALFORMED', 'the token claims "iat" and "exp" must be numbers');
  const claims = c as CallerTokenClaims;
  if (claims.iss !== claims.sub) return fail('SOV_TRUST_TOKEN_MALFORMED', 'a self-issued token needs iss = sub');
  if (claims.aud !== selfDid) {
    return fail('SOV_TRUST_TOKEN_WRONG_AUDIENCE', `the token is for ${claims.aud}, not for this connector (${selfDid})`);
  }
  return ok(claims);
}

/** Lifetime and request binding: checked on signed claims only. */
function checkValidity(claims: CallerTokenClaims, deps: TokenVerificationDeps, request: BoundRequest): Result<void> {
  const now = deps.clock.now() / 1000;
  const skew = deps.skewSeconds ?? DEFAULT_CLOCK_SKEW_S;
  if (claims.exp - claims.iat > MAX_TOKEN_LIFETIME_S) return fail('SOV_TRUST_TOKEN_EXPIRED', `the token lives ${claims.exp - claims.iat} s; at most ${MAX_TOKEN_LIFETIME_S} s is accepted`);
  if (now > claims.exp + skew) return fail('SOV_TRUST_TOKEN_EXPIRED', `the token expired at ${new Date(claims.exp * 1000).toISOString()}`);
  if (claims.iat > now + skew) return fail('SOV_TRUST_TOKEN_EXPIRED', 'the token was issued in the future (check the caller clock)');
  if (claims.htm !== request.method.toUpperCase() || claims.htu !== normaliseUrl(request.url)) {
    return fail('SOV_TRUST_TOKEN_REQUEST_MISMATCH', `the token was issued for ${claims.htm} ${claims.htu}, not for ${request.method.toUpperCase()} ${normaliseUrl(request.url)}`);
  }
  if (claims.bsh !== bodyDigest(request.body)) return fail('SOV_TRUST_TOKEN_REQUEST_MISMATCH', 'the request body does not match the digest the token was issued for');
  return ok(undefined);
}

/** Verifies a caller token for one received request; records its jti so a replay is refused. */
export async function verifyCallerToken(token: string, request: BoundRequest, deps: TokenVerificationDeps): Promise<Result<VerifiedCaller>> {
  const parsed = parseToken(token);
  if (!parsed.ok) return parsed;
  const { header } = parsed.value;
  if (header.alg !== 'EdDSA') return fail('SOV_TRUST_TOKEN_MALFORMED', `unsupported token algorithm ${String(header.alg)}; EdDSA is required`);
  const claims = checkShape(parsed.value, deps.selfDid);
  if (!claims.ok) return claims;
  const kid = header.kid;
  if (typeof kid !== 'string' || !kid.startsWith(`${claims.value.iss}#`)) {
    return fail('SOV_TRUST_KEY_NOT_AUTHORISED', 'the token kid must be a key of the issuing DID');
  }
  const key = await deps.resolveInvocationKey(kid);
  if (!key.ok) return key;
  if (!deps.verify(encoder.encode(parsed.value.signingInput), parsed.value.signature, key.value)) {
    return fail('SOV_TRUST_TOKEN_BAD_SIGNATURE', `the token signature does not verify with ${kid}`);
  }
  const valid = checkValidity(claims.value, deps, request);
  if (!valid.ok) return valid;
  const keepUntil = (claims.value.exp + (deps.skewSeconds ?? DEFAULT_CLOCK_SKEW_S)) * 1000;
  if (!(await deps.replay.remember(claims.value.iss, claims.value.jti, keepUntil))) {
    return fail('SOV_TRUST_TOKEN_REPLAYED', `token ${claims.value.jti} from ${claims.value.iss} was already used`);
  }
  return ok({ did: claims.value.iss, keyId: kid, claims: claims.value });
}
