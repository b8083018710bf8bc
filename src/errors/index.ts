/**
 * Errors: the Result type for expected failures and the single catalogue of stable error
 * codes with their HTTP status and title. Capabilities add codes in `codes/<capability>.ts`.
 */
export { ok, fail, unwrap, DomainError, type Result, type Failure, type Success } from './result.js';
export { errorSpec, allErrorSpecs, problemType, type ErrorCode, type ErrorSpec } from './catalogue.js';
