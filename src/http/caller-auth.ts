/**
 * Express middleware for connector-to-connector routes (design.md "Trust model"): runs the
 * trust layer's `authenticateCaller` on the request (after `jsonBody`, because the caller token
 * is bound to the exact body bytes) and keeps the verified claims on `res.locals` for the
 * handlers (`callerOf(res)`). A refusal never reaches the handler: 401 (bad, expired, replayed or
 * missing token, with `WWW-Authenticate`) or 403 (not a member, revoked, untrusted registrar),
 * rendered as a DSP error of `errorType` or, without one, in the shape of the mount.
 */
import type { RequestHandler, Response } from 'express';
import { errorSpec, type Failure, type Result } from '../errors/index.js';
import type { CallerRequest } from '../trust/index.js';
import { dspError, type DspErrorType } from './dsp-error.js';
import { renderFailure } from './failure-shape.js';
import { rawBodyOf } from './json-body.js';

const CALLER_KEY = 'sovcCaller';

export interface CallerAuthOptions<Claims> {
  authenticate: (request: CallerRequest) => Promise<Result<Claims>>;
  /** DSP error message type of the routes behind it; default: the mount's own shape (problem+json or DSP). */
  errorType?: DspErrorType;
}

/** The verified caller of this request, set by `callerAuth`. */
export function callerOf<Claims>(res: Response): Claims | undefined {
  return res.locals[CALLER_KEY] as Claims | undefined;
}

function refuse(res: Response, failure: Failure, errorType: DspErrorType | undefined): void {
  if (errorSpec(failure.code).status === 401) res.set('WWW-Authenticate', 'Bearer realm="sovc-connector", error="invalid_token"');
  if (errorType === undefined) renderFailure(res, failure);
  else dspError(res, failure, { type: errorType });
}

export function callerAuth<Claims>(options: CallerAuthOptions<Claims>): RequestHandler {
  return async (req, res, next) => {
    const result = await options.authenticate({ method: req.method, url: req.originalUrl, headers: req.headers, rawBody: rawBodyOf(req) });
    if (!result.ok) return refuse(res, result, options.errorType);
    res.locals[CALLER_KEY] = result.value;
    next();
  };
}
