/**
 * Express middleware for connector-to-connector routes (design.md "Trust model"): runs the
 * trust layer's `authenticateCaller` on the request (after `jsonBody`, because the caller token
 * is bound to the exact body bytes) and keeps the verified claims on `res.locals` for the
 * handlers (`callerOf(res)`). A refusal never reaches the handler: 401 (bad, expired, replayed or
 * missing token, with `WWW-Authenticate`) or 403 (not a member, revoked, untrusted registrar),
 * rendered as a DSP error of `errorType` or, without one, in the shape of the mount. On DSP
 * routes the 403 becomes 404: DSP 2025-1 answers a caller who is not authorized as it answers an
 * unknown process (dsp.md §4, §7); the body still names the trust check that refused, and the
 * pids the request names (by default its body's, parsed by then), which DSP 2025-1's negotiation
 * and transfer error schemas require.
 */
import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { DomainError, errorSpec, fail, type Failure, type Result } from '../errors/index.js';
import { bearerTokenOf, statedBodyDigest, type CallerRequest } from '../trust/index.js';
import { dspError, pidsIn, type DspErrorType, type ProcessPids } from './dsp-error.js';
import { renderFailure } from './failure-shape.js';
import { rawBodyOf } from './json-body.js';

const CALLER_KEY = 'sovcCaller';

export interface CallerAuthOptions<Claims> {
  authenticate: (request: CallerRequest) => Promise<Result<Claims>>;
  /** DSP error message type of the routes behind it; default: the mount's own shape (problem+json or DSP). */
  errorType?: DspErrorType;
  /** The pids a DSP refusal names; default: the ones the request body names (`pidsIn`). */
  pidsOf?: (req: Request) => ProcessPids;
}

/** The verified caller of this request, set by `callerAuth`. */
export function callerOf<Claims>(res: Response): Claims | undefined {
  return res.locals[CALLER_KEY] as Claims | undefined;
}

function refuse(res: Response, failure: Failure, errorType: DspErrorType | undefined, pids: ProcessPids): void {
  if (errorSpec(failure.code).status === 401) res.set('WWW-Authenticate', 'Bearer realm="sovc-connector", error="invalid_token"');
  if (errorType === undefined) renderFailure(res, failure);
  else dspError(res, failure, { type: errorType, ...pids, ...(errorSpec(failure.code).status === 403 ? { status: 404 } : {}) });
}

const requestBodyPids = (req: Request): ProcessPids => pidsIn(req.body);

export function callerAuth<Claims>(options: CallerAuthOptions<Claims>): RequestHandler {
  return async (req, res, next) => {
    const result = await options.authenticate({ method: req.method, url: req.originalUrl, headers: req.headers, rawBody: rawBodyOf(req) });
    if (!result.ok) return refuse(res, result, options.errorType, (options.pidsOf ?? requestBodyPids)(req));
    res.locals[CALLER_KEY] = result.value;
    next();
  };
}

const BODY_KEY = 'sovcStreamedBody';

/**
 * `callerAuth` for a route whose body is too large to hold (a pushed container): the caller
 * token is verified — signature, audience, lifetime, request binding, replay, membership —
 * on the body digest it states, before a byte of the body is read; `streamedBodyOf` then
 * hashes the bytes as the handler consumes them and fails at their end, before the handler can
 * commit anything, when they are not the bytes the caller signed for.
 */
export function streamedCallerAuth<Claims>(options: CallerAuthOptions<Claims>): RequestHandler {
  return async (req, res, next) => {
    const token = bearerTokenOf(req.get('authorization'));
    const sha256 = token === undefined ? undefined : statedBodyDigest(token);
    const rawBody = sha256 === undefined ? undefined : { sha256 };
    const result = await options.authenticate({ method: req.method, url: req.originalUrl, headers: req.headers, rawBody });
    // The body is not read yet: only the route can say which pids the request names.
    if (!result.ok) return refuse(res, result, options.errorType, options.pidsOf?.(req) ?? {});
    res.locals[CALLER_KEY] = result.value;
    res.locals[BODY_KEY] = checkedBody(req, sha256 as string);
    next();
  };
}

/** The body of a request `streamedCallerAuth` admitted; throws at its end unless it matches the token's digest. */
export function streamedBodyOf(res: Response): AsyncIterable<Uint8Array> {
  const body = res.locals[BODY_KEY] as AsyncIterable<Uint8Array> | undefined;
  if (body === undefined) throw new Error('streamedBodyOf needs streamedCallerAuth ahead of the route');
  return body;
}

async function* checkedBody(source: AsyncIterable<Uint8Array>, sha256: string): AsyncGenerator<Uint8Array> {
  const hash = createHash('sha256');
  for await (const piece of source) {
    hash.update(piece);
    yield piece;
  }
  if (hash.digest('base64url') !== sha256) {
    throw new DomainError(fail('SOV_TRUST_TOKEN_REQUEST_MISMATCH', 'the request body does not match the digest its caller token was issued for'));
  }
}
