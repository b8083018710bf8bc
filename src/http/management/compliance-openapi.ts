/**
 * The compliance report's operation and response schema in the management API's OpenAPI
 * document (src/http/openapi/document.ts spreads them in).
 */
import { object, ref, str, type JsonSchema } from '../openapi/json-schema.js';
import type { OperationSpec } from '../openapi/operation.js';
import { complianceReportQuerySchema } from './compliance-router.js';

export const complianceComponents: Record<string, JsonSchema> = {
  ComplianceReport: object({
    credential: {
      type: 'object',
      description: 'The evidence pack as a ComplianceEvidenceCredential (VC 2.0, eddsa-rdfc-2022), verifiable by any VC verifier',
      required: ['@context', 'type', 'issuer', 'credentialSubject', 'proof'],
    },
    html: str,
  }),
};

export const complianceOperations: OperationSpec[] = [
  {
    method: 'get', path: '/compliance/report', operationId: 'complianceReport', tag: 'compliance', access: 'admin',
    summary:
      "The evidence pack of a period for the nation's auditors: datasets that left the nation, refusals with reasons, key events and the " +
      'jurisdiction profile in force, signed by the connector, with a readable HTML rendering',
    query: complianceReportQuerySchema,
    success: { status: 200, description: 'The signed evidence pack and its HTML rendering', schema: ref('ComplianceReport') },
    failures: [400],
  },
];
