import type { ErrorSpec } from '../spec.js';

/**
 * DSP over HTTP between connectors (src/http/dsp, src/connector/dsp-wiring.ts): what a peer
 * answered when we delivered a message or asked for its catalogue.
 */
export const dspHttpCodes = {
  SOV_DSP_PEER_REFUSED: { status: 502, title: 'The counterparty refused a DSP message' },
  SOV_DSP_VERSION_UNSUPPORTED: { status: 502, title: 'The counterparty advertises no DSP 2025-1 endpoint' },
  SOV_DSP_PEER_ANSWER_INVALID: { status: 502, title: 'The counterparty answered with a body that is not the expected DSP message' },
} as const satisfies Record<string, ErrorSpec>;
