/**
 * DSP error messages (DSP 2025-1, dsp.md §3-4): on DSP routes a refusal is a
 * `CatalogError`, `ContractNegotiationError` or `TransferError` body carrying our stable code and
 * the human reason, with the failure's HTTP status. Negotiation and transfer errors also carry
 * the process ids when the handler knows them.
 */
import { DSP_CONTEXT_URL } from '../dsp/index.js';
import type { Response } from 'express';
import { errorSpec, type Failure } from '../errors/index.js';

/** The one context DSP 2025-1 messages carry (dsp.md §1); `@context` is always an array. */
export { DSP_CONTEXT_URL };

export type DspErrorType = 'CatalogError' | 'ContractNegotiationError' | 'TransferError';

export interface DspErrorOptions {
  type: DspErrorType;
  providerPid?: string;
  consumerPid?: string;
  /** Further reasons after the failure's detail, e.g. the policy rules that refused. */
  reasons?: ReadonlyArray<string>;
  /** The HTTP status when DSP prescribes another than the failure's own (a refused caller: 404). */
  status?: number;
}

export interface DspErrorBody {
  '@context': string[];
  '@type': DspErrorType;
  providerPid?: string;
  consumerPid?: string;
  code: string;
  reason: string[];
}

export function dspErrorBody(failure: Failure, options: DspErrorOptions): DspErrorBody {
  return {
    '@context': [DSP_CONTEXT_URL],
    '@type': options.type,
    ...(options.providerPid === undefined ? {} : { providerPid: options.providerPid }),
    ...(options.consumerPid === undefined ? {} : { consumerPid: options.consumerPid }),
    code: failure.code,
    reason: [failure.detail, ...(options.reasons ?? [])],
  };
}

export function dspError(res: Response, failure: Failure, options: DspErrorOptions): void {
  res.status(options.status ?? errorSpec(failure.code).status).set('Cache-Control', 'no-store').json(dspErrorBody(failure, options));
}
