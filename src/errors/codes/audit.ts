import type { ErrorSpec } from '../spec.js';

export const auditCodes = {
  SOV_AUDIT_CHAIN_BROKEN: { status: 500, title: 'The audit log failed verification' },
  SOV_AUDIT_QUERY_INVALID: { status: 400, title: 'The audit search query is invalid' },
} as const satisfies Record<string, ErrorSpec>;
