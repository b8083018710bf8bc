import type { ErrorSpec } from '../spec.js';

/** Offerings (src/offerings): the datasets this connector offers, with their policies. */
export const offeringsCodes = {
  SOV_OFFERING_INVALID: { status: 400, title: 'The offering does not match its schema' },
  SOV_OFFERING_POLICY_INVALID: { status: 400, title: 'The offering policy cannot be built or compiled' },
  SOV_OFFERING_NOT_FOUND: { status: 404, title: 'No such offering' },
  SOV_OFFERING_CONFLICT: { status: 409, title: 'The offering exists already or was changed concurrently' },
  SOV_OFFERING_RETIRED: { status: 409, title: 'The offering is retired and can no longer change' },
} as const satisfies Record<string, ErrorSpec>;
