import type { ErrorSpec } from '../spec.js';

/** Shared DSP message layer (src/dsp): inbound bodies that are not a DSP 2025-1 message. */
export const dspCodes = {
  SOV_DSP_MALFORMED_BODY: { status: 400, title: 'The body is not a JSON object' },
  SOV_DSP_MISSING_CONTEXT: { status: 400, title: 'The @context array does not contain the DSP 2025-1 context' },
  SOV_DSP_WRONG_TYPE: { status: 400, title: 'The message @type is not the one this endpoint accepts' },
  SOV_DSP_INVALID_MESSAGE: { status: 400, title: 'The message does not match its DSP 2025-1 schema' },
} as const satisfies Record<string, ErrorSpec>;
