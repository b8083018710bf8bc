import type { ErrorSpec } from '../spec.js';

/**
 * Contract negotiation (src/negotiation). DSP §4 HTTPS binding: an invalid transition is a 400
 * (never 404); 404 only for an unknown process or a caller who is not its counterparty.
 */
export const negotiationCodes = {
  SOV_NEG_ILLEGAL_TRANSITION: { status: 400, title: 'The message is not allowed in the negotiation state' },
  SOV_NEG_NOT_FOUND: { status: 404, title: 'No such contract negotiation' },
  SOV_NEG_PID_MISMATCH: { status: 400, title: 'The process ids in the path and the body disagree' },
  SOV_NEG_UNKNOWN_OFFER: { status: 400, title: 'The offer id is not one this provider made' },
  SOV_NEG_OFFER_MISMATCH: { status: 400, title: 'The offer does not match the offered dataset' },
  SOV_NEG_AGREEMENT_INVALID: { status: 400, title: 'The agreement does not match what was negotiated' },
  SOV_NEG_SIGNATURE_INVALID: { status: 400, title: 'The agreement signature does not verify' },
  SOV_NEG_POLICY_REFUSED: { status: 403, title: 'The offer policy is not satisfied by the consumer' },
  SOV_NEG_BUSY: { status: 409, title: 'A message of this negotiation is still awaiting acknowledgement' },
  SOV_NEG_CONFLICT: { status: 409, title: 'The negotiation was changed concurrently; retry' },
} as const satisfies Record<string, ErrorSpec>;
