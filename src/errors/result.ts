/**
 * Expected failures are values (conventions §6): domain code returns a Result and
 * never throws for a refusal a caller can anticipate. Bugs and misuse still throw.
 */
import type { ErrorCode } from './catalogue.js';

export interface Failure {
  ok: false;
  /** Stable code from the error catalogue, e.g. `SOV_KMS_WRONG_PASSPHRASE`. */
  code: ErrorCode;
  /** Human-readable explanation naming what was wrong. */
  detail: string;
  /** Machine-readable specifics (which rule, which field, which check). */
  data?: Record<string, unknown>;
}

export interface Success<T> {
  ok: true;
  value: T;
}

export type Result<T> = Success<T> | Failure;

export function ok<T>(value: T): Success<T> {
  return { ok: true, value };
}

export function fail(code: ErrorCode, detail: string, data?: Record<string, unknown>): Failure {
  return data === undefined ? { ok: false, code, detail } : { ok: false, code, detail, data };
}

/** Thrown only at boundaries that cannot return a value (CLI top level, express middleware). */
export class DomainError extends Error {
  constructor(readonly failure: Failure) {
    super(`${failure.code}: ${failure.detail}`);
    this.name = 'DomainError';
  }
}

/** Unwraps a Result where a failure is a bug or must abort the caller (throws DomainError). */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new DomainError(result);
  return result.value;
}
