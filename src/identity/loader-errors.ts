/**
 * The document loader must throw (jsonld and jsonld-signatures call it and expect a throw on
 * failure); this error carries our Failure so verification can report the original reason
 * (e.g. SOV_IDENTITY_UNKNOWN_CONTEXT naming the URL) through the library's error wrapping.
 */
import type { Failure } from '../errors/index.js';

export class DocumentLoadError extends Error {
  constructor(readonly failure: Failure) {
    super(`${failure.code}: ${failure.detail}`);
    this.name = 'DocumentLoadError';
  }
}

/** Every error reachable from `error` through `cause`, `details.cause` and `errors[]`. */
export function errorChain(error: unknown, seen = new Set<unknown>()): unknown[] {
  if (error === null || error === undefined || typeof error !== 'object' || seen.has(error)) return [];
  seen.add(error);
  const record = error as { cause?: unknown; details?: { cause?: unknown }; errors?: unknown[] };
  const nested = [record.cause, record.details?.cause, ...(Array.isArray(record.errors) ? record.errors : [])];
  return [error, ...nested.flatMap((e) => errorChain(e, seen))];
}

/** The first Failure carried by a DocumentLoadError anywhere in the chain. */
export function loaderFailure(error: unknown): Failure | undefined {
  const found = errorChain(error).find((e): e is DocumentLoadError => e instanceof DocumentLoadError);
  return found?.failure;
}
