/**
 * RFC 9457 problem details for the management API and every non-DSP route: the catalogue gives
 * the status, title and `type` URI of a failure's code (conventions §7); the failure gives the
 * detail and extension members.
 */
import type { Response } from 'express';
import { errorSpec, problemType, type Failure } from '../errors/index.js';

/** The RFC 9457 media type (§3). */
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  [extension: string]: unknown;
}

export function problemBody(failure: Failure): ProblemBody {
  const spec = errorSpec(failure.code);
  const standard = { type: problemType(failure.code), title: spec.title, status: spec.status, detail: failure.detail, code: failure.code };
  // Extension members (RFC 9457 §3.2) must not overwrite the standard members.
  const extensions = Object.fromEntries(Object.entries(failure.data ?? {}).filter(([key]) => !(key in standard)));
  return { ...standard, ...extensions };
}

export function problem(res: Response, failure: Failure): void {
  const body = problemBody(failure);
  res.status(body.status).type(PROBLEM_MEDIA_TYPE).set('Cache-Control', 'no-store').send(JSON.stringify(body));
}
