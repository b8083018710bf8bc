import type { ErrorSpec } from '../spec.js';

/** Codes of `src/anonymise` and `src/anonymise-flow`: declarations, input tables, privacy models, DP budgets, duties and signed reports. */
export const anonymiseCodes = {
  SOV_ANON_DECLARATION_INVALID: { status: 400, title: 'The anonymisation declaration is invalid' },
  SOV_ANON_INPUT_INVALID: { status: 422, title: 'The dataset does not match its anonymisation declaration' },
  SOV_ANON_MODEL_UNREACHABLE: { status: 422, title: 'The privacy model cannot be met within the suppression limit' },
  SOV_ANON_SOURCE_CHANGED: { status: 409, title: 'The dataset changed while it was being anonymised' },
  SOV_ANON_QUERY_INVALID: { status: 400, title: 'The differentially private query is invalid' },
  SOV_ANON_BUDGET_EXHAUSTED: { status: 403, title: 'The privacy budget of this agreement is spent' },
  SOV_ANON_DUTY_UNSUPPORTED: { status: 422, title: 'A duty of the agreement cannot be performed by the anonymiser' },
  SOV_ANON_DECLARATION_MISSING: { status: 409, title: 'The offering has an anonymize duty but no anonymisation declaration' },
  SOV_ANON_REPORT_INVALID: { status: 422, title: 'The anonymisation report does not verify or does not describe the data received' },
  SOV_ANON_REPORT_NOT_FOUND: { status: 404, title: 'No anonymisation report travels with this transfer or dataset' },
} as const satisfies Record<string, ErrorSpec>;
