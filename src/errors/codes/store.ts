import type { ErrorSpec } from '../spec.js';

export const storeCodes = {
  SOV_STORE_URL_UNSUPPORTED: { status: 500, title: 'The database URL is not supported' },
  SOV_STORE_UNAVAILABLE: { status: 503, title: 'The database cannot be reached' },
} as const satisfies Record<string, ErrorSpec>;
