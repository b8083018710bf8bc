/**
 * Inbound DSP validation (design.md "Errors and input": every body is checked by a schema
 * before logic sees it). The order of checks gives the most useful code first: not an object
 * → missing DSP context → wrong `@type` → schema problems, each problem a JSON pointer plus a
 * message, so the other side learns exactly what to fix.
 */
import { Ajv2019, type ValidateFunction } from 'ajv/dist/2019.js';
import addFormatsModule from 'ajv-formats';
import { fail, ok, type Result } from '../errors/index.js';
import { DSP_CONTEXT_URL } from './context.js';
import { allSchemas, DSP_MESSAGE_TYPES, schemaRefFor } from './schemas/index.js';
import type { DspMessageType, DspMessageTypes } from './types.js';

export interface DspProblem {
  /** JSON pointer (RFC 6901) into the body; `''` is the body itself. */
  pointer: string;
  message: string;
}

/** Types without a JSON-LD context or `@type`: the discovery document and a bare DataAddress. */
const CONTEXT_FREE: ReadonlySet<DspMessageType> = new Set(['VersionResponse', 'DataAddress']);

function buildValidators(): Map<DspMessageType, ValidateFunction> {
  const ajv = new Ajv2019({ allErrors: true, strict: false });
  addFormatsModule.default(ajv);
  for (const schema of allSchemas) ajv.addSchema(schema);
  return new Map(DSP_MESSAGE_TYPES.map((type) => [type, ajv.compile({ $ref: schemaRefFor(type) })]));
}

let validators: Map<DspMessageType, ValidateFunction> | undefined;

/**
 * Compiles every message's validator now (once per process) rather than at the first message:
 * compiling the DSP schemas takes ~250 ms, which the first partner to call a freshly started
 * connector waited for (a cold catalogue request took ~230 ms instead of ~40).
 */
export function prepareDspValidation(): void {
  validators ??= buildValidators();
}

function validatorFor(type: DspMessageType): ValidateFunction {
  prepareDspValidation();
  const validate = validators?.get(type);
  if (!validate) throw new Error(`no DSP schema for ${type}`);
  return validate;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function contextProblem(body: Record<string, unknown>): DspProblem | undefined {
  const context = body['@context'];
  if (context === undefined) return { pointer: '/@context', message: `is required and must contain "${DSP_CONTEXT_URL}"` };
  if (!Array.isArray(context)) return { pointer: '/@context', message: `must be an array containing "${DSP_CONTEXT_URL}"` };
  if (!context.includes(DSP_CONTEXT_URL)) return { pointer: '/@context', message: `must contain "${DSP_CONTEXT_URL}"` };
  return undefined;
}

function schemaProblems(validate: ValidateFunction): DspProblem[] {
  return (validate.errors ?? []).map((error) => {
    const missing = error.keyword === 'required' ? `/${String(error.params.missingProperty)}` : '';
    return { pointer: `${error.instancePath}${missing}`, message: error.message ?? error.keyword };
  });
}

/**
 * Checks `body` is a DSP 2025-1 message of `expectedType`. On failure the Result's `data`
 * holds `{ expectedType, problems: DspProblem[] }`.
 */
export function validateDspMessage<T extends DspMessageType>(expectedType: T, body: unknown): Result<DspMessageTypes[T]> {
  const reject = (code: Parameters<typeof fail>[0], problems: DspProblem[]) =>
    fail(code, `Not a valid ${expectedType}: ${problems.map((p) => `${p.pointer || '(body)'} ${p.message}`).join('; ')}`, {
      expectedType,
      problems,
    });
  if (!isPlainObject(body)) return reject('SOV_DSP_MALFORMED_BODY', [{ pointer: '', message: 'must be a JSON object' }]);
  if (!CONTEXT_FREE.has(expectedType)) {
    const problem = contextProblem(body);
    if (problem) return reject('SOV_DSP_MISSING_CONTEXT', [problem]);
    const type = body['@type'];
    if (type !== expectedType) {
      const message = Array.isArray(type) ? `must be the single string "${expectedType}"` : `must be "${expectedType}"`;
      return reject('SOV_DSP_WRONG_TYPE', [{ pointer: '/@type', message }]);
    }
  }
  const validate = validatorFor(expectedType);
  if (!validate(body)) return reject('SOV_DSP_INVALID_MESSAGE', schemaProblems(validate));
  return ok(body as DspMessageTypes[T]);
}
