/**
 * Which shape a refusal takes depends on the face a request came in through: problem+json by
 * default, a DSP error body under DSP routes. A mount records its renderer on the response, so
 * body-parser refusals, 404 fallbacks and unexpected errors all use the same shape as the
 * route's own failures. A DSP error rendered here names the pids the request body names, if it
 * parsed (DSP 2025-1 requires both pids on negotiation and transfer errors; see `dsp-error.ts`).
 */
import type { RequestHandler, Response } from 'express';
import type { Failure } from '../errors/index.js';
import { dspError, pidsIn, type DspErrorType } from './dsp-error.js';
import { problem } from './problem.js';

export type FailureRenderer = (res: Response, failure: Failure) => void;

const RENDERER_KEY = 'sovcFailureRenderer';

/** Renders a failure in the shape of the face the request came through. */
export function renderFailure(res: Response, failure: Failure): void {
  const renderer = res.locals[RENDERER_KEY] as FailureRenderer | undefined;
  (renderer ?? problem)(res, failure);
}

/** Middleware: failures of the routes after it render as DSP error bodies of `type`. */
export function dspErrors(type: DspErrorType): RequestHandler {
  const renderer: FailureRenderer = (res, failure) => dspError(res, failure, { type, ...pidsIn(res.req.body) });
  return (_req, res, next) => {
    res.locals[RENDERER_KEY] = renderer;
    next();
  };
}
