/**
 * DSP error messages (DSP 2025-1, dsp.md §3-4): on DSP routes a refusal is a
 * `CatalogError`, `ContractNegotiationError` or `TransferError` body carrying our stable code and
 * the human reason, with the failure's HTTP status. DSP 2025-1's schemas for the negotiation and
 * transfer errors (upstream `contract-negotiation-error-schema.json`, `transfer-error-schema.json`)
 * require both `providerPid` and `consumerPid`, typed as plain strings: each carries the pid the
 * handler knows, else the one the request names, and a pid nothing names (a body that did not
 * parse, an initial request's providerPid) is sent as the empty string. `CatalogError` has no pids.
 */
import { DSP_CONTEXT_URL } from '../dsp/index.js';
import type { Response } from 'express';
import { errorSpec, type Failure } from '../errors/index.js';

/** The one context DSP 2025-1 messages carry (dsp.md §1); `@context` is always an array. */
export { DSP_CONTEXT_URL };

export type DspErrorType = 'CatalogError' | 'ContractNegotiationError' | 'TransferError';

/** The process ids an error names; either may be unknown. */
export interface ProcessPids {
  providerPid?: string;
  consumerPid?: string;
}

export interface DspErrorOptions extends ProcessPids {
  type: DspErrorType;
  /** Further reasons after the failure's detail, e.g. the policy rules that refused. */
  reasons?: ReadonlyArray<string>;
  /** The HTTP status when DSP prescribes another than the failure's own (a refused caller: 404). */
  status?: number;
}

export interface DspErrorBody {
  '@context': string[];
  '@type': DspErrorType;
  /** Always present on a negotiation or transfer error, never on a catalog error. */
  providerPid?: string;
  consumerPid?: string;
  code: string;
  reason: string[];
}

/** The pids a request body names, echoed in error bodies so the peer can match them to its process. */
export function pidsIn(body: unknown): ProcessPids {
  if (typeof body !== 'object' || body === null) return {};
  const { providerPid, consumerPid } = body as Record<string, unknown>;
  return {
    ...(typeof providerPid === 'string' ? { providerPid } : {}),
    ...(typeof consumerPid === 'string' ? { consumerPid } : {}),
  };
}

function pidsOf(options: DspErrorOptions): ProcessPids {
  if (options.type === 'CatalogError') return {};
  return { providerPid: options.providerPid ?? '', consumerPid: options.consumerPid ?? '' };
}

export function dspErrorBody(failure: Failure, options: DspErrorOptions): DspErrorBody {
  return {
    '@context': [DSP_CONTEXT_URL],
    '@type': options.type,
    ...pidsOf(options),
    code: failure.code,
    reason: [failure.detail, ...(options.reasons ?? [])],
  };
}

export function dspError(res: Response, failure: Failure, options: DspErrorOptions): void {
  res.status(options.status ?? errorSpec(failure.code).status).set('Cache-Control', 'no-store').json(dspErrorBody(failure, options));
}
