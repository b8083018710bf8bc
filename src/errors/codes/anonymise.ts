import type { ErrorSpec } from '../spec.js';

/** Codes of `src/anonymise`: declarations, input tables, privacy models and DP budgets. */
export const anonymiseCodes = {
  SOV_ANON_DECLARATION_INVALID: { status: 400, title: 'The anonymisation declaration is invalid' },
  SOV_ANON_INPUT_INVALID: { status: 422, title: 'The dataset does not match its anonymisation declaration' },
  SOV_ANON_MODEL_UNREACHABLE: { status: 422, title: 'The privacy model cannot be met within the suppression limit' },
  SOV_ANON_SOURCE_CHANGED: { status: 409, title: 'The dataset changed while it was being anonymised' },
  SOV_ANON_QUERY_INVALID: { status: 400, title: 'The differentially private query is invalid' },
  SOV_ANON_BUDGET_EXHAUSTED: { status: 403, title: 'The privacy budget of this agreement is spent' },
} as const satisfies Record<string, ErrorSpec>;
