/**
 * The one error catalogue (conventions §7). Every capability lists its stable codes in
 * `codes/<capability>.ts`; this module merges them. Only the HTTP edge and the CLI render
 * them (RFC 9457 problem+json on /api, DSP error bodies on DSP routes, a message in the CLI).
 * `docs/errors.md` documents the same table; a test keeps the two in step.
 */
import { commonCodes } from './codes/common.js';
import { configCodes } from './codes/config.js';
import { httpCodes } from './codes/http.js';
import { anonymiseCodes } from './codes/anonymise.js';
import { kmsCodes } from './codes/kms.js';
import { trustCodes } from './codes/trust.js';
import { dataplaneCodes } from './codes/dataplane.js';
import { identityCodes } from './codes/identity.js';
import { storeCodes } from './codes/store.js';
import { auditCodes } from './codes/audit.js';
import { dspCodes } from './codes/dsp.js';
import { dspHttpCodes } from './codes/dsp-http.js';
import { negotiationCodes } from './codes/negotiation.js';
import { transferCodes } from './codes/transfer.js';
import { catalogCodes } from './codes/catalog.js';
import { federatedCatalogCodes } from './codes/federated-catalog.js';
import { outboxCodes } from './codes/outbox.js';
import { offeringsCodes } from './codes/offerings.js';
import { policyCodes } from './codes/policy.js';
import { complianceCodes } from './codes/compliance.js';
import type { ErrorSpec } from './spec.js';

export type { ErrorSpec } from './spec.js';

const catalogue = {
  ...policyCodes,
  ...dspCodes,
  ...dspHttpCodes,
  ...negotiationCodes,
  ...transferCodes,
  ...catalogCodes,
  ...federatedCatalogCodes,
  ...outboxCodes,
  ...offeringsCodes,
  ...commonCodes,
  ...storeCodes,
  ...auditCodes,
  ...identityCodes,
  ...configCodes,
  ...httpCodes,
  ...anonymiseCodes,
  ...kmsCodes,
  ...trustCodes,
  ...dataplaneCodes,
  ...complianceCodes,
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof catalogue;

export function errorSpec(code: ErrorCode): ErrorSpec {
  return catalogue[code];
}

export function allErrorSpecs(): ReadonlyArray<[ErrorCode, ErrorSpec]> {
  return Object.entries(catalogue) as Array<[ErrorCode, ErrorSpec]>;
}

/** RFC 9457 `type` URI for a code: stable, dereferenceable into docs/errors.md. */
export function problemType(code: ErrorCode): string {
  return `https://w3id.org/sovereign-connector/errors#${code}`;
}
