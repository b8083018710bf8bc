/**
 * Bridges between the streaming API (which throws a DomainError mid-stream, the only way an
 * async iterator can refuse) and Result-returning callers.
 */
import { DomainError, ok, type Result } from '../../errors/index.js';
import type { Kms } from '../../kms/ports.js';
import type { DataKeyLender } from './reader.js';

/** Handover mode / the owner's own data: lends data key `keyId` from our kms for one call. */
export function lendDataKey(kms: Pick<Kms, 'withDataKey'>, keyId: string): DataKeyLender {
  return (use) => kms.withDataKey(keyId, use);
}

/** Runs `work` and turns a thrown DomainError (a refused container) into a failure value. */
export async function settle<T>(work: () => Promise<T>): Promise<Result<T>> {
  try {
    return ok(await work());
  } catch (error) {
    if (error instanceof DomainError) return error.failure;
    throw error;
  }
}
