/**
 * Shared pieces of every DSP 2025-1 message (dsp.md §1, upstream `common/context-schema.json`):
 * the `@context` array that must contain the DSP context, the code/reason pair of errors and
 * termination messages, and the pids of an error.
 */
import { DSP_CONTEXT_URL } from '../context.js';
import { SCHEMA_IDS } from './ids.js';

export const commonSchema = {
  $id: SCHEMA_IDS.common,
  $defs: {
    Context: {
      type: 'array',
      // Liberal on input: extra contexts may be objects; the DSP context must be present.
      items: { type: ['string', 'object'] },
      contains: { const: DSP_CONTEXT_URL },
    },
    Code: { type: 'string' },
    Reason: { type: 'array', minItems: 1 },
    NonEmptyString: { type: 'string', minLength: 1 },
    // Any string, as upstream: an error may answer a message that names no process yet (a
    // refused initial request), and the pid it cannot name is then empty.
    ErrorPid: { type: 'string' },
  },
} as const;
