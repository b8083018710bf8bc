import type { ErrorSpec } from '../spec.js';

/** Transfer process (src/transfer). Same HTTP rules as negotiation (DSP §4). */
export const transferCodes = {
  SOV_TRANSFER_ILLEGAL_TRANSITION: { status: 400, title: 'The message is not allowed in the transfer state' },
  SOV_TRANSFER_NOT_FOUND: { status: 404, title: 'No such transfer process' },
  SOV_TRANSFER_PID_MISMATCH: { status: 400, title: 'The process ids in the path and the body disagree' },
  SOV_TRANSFER_AGREEMENT_NOT_HELD: { status: 400, title: 'The agreement is unknown, not finalized or not held by the caller' },
  SOV_TRANSFER_POLICY_REFUSED: { status: 403, title: 'The agreement policy no longer holds' },
  SOV_TRANSFER_FORMAT_UNSUPPORTED: { status: 400, title: 'The dataset is not distributed in the requested format' },
  SOV_TRANSFER_DATA_ADDRESS_REQUIRED: { status: 400, title: 'A dataAddress is required (push request or pull start)' },
  SOV_TRANSFER_DATA_PLANE_FAILED: { status: 500, title: 'The data plane could not prepare the transfer' },
  SOV_TRANSFER_BUSY: { status: 409, title: 'A message of this transfer is still awaiting acknowledgement' },
  SOV_TRANSFER_CONFLICT: { status: 409, title: 'The transfer was changed concurrently; retry' },
} as const satisfies Record<string, ErrorSpec>;
