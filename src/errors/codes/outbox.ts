import type { ErrorSpec } from '../spec.js';

/**
 * Outbox (src/outbox): the persisted queue of outbound protocol messages. A delivery that
 * throws is retried; once retries are exhausted the protocol is told why (it terminates the
 * process, dsp.md §5: both sides must end in the same state).
 */
export const outboxCodes = {
  SOV_OUTBOX_DELIVERY_FAILED: { status: 502, title: 'An outbound message could not be delivered' },
  SOV_OUTBOX_GAVE_UP: { status: 502, title: 'An outbound message was abandoned after its retries ran out' },
} as const satisfies Record<string, ErrorSpec>;
