/**
 * The OpenAPI 3.1 document of the management API (issue 6 "Management API"), assembled from
 * the operation lists and component schemas next to it. Served at GET /api/openapi.json;
 * test/http/management checks every real response against it.
 */
import { coreComponents } from './components-core.js';
import { dspComponents } from './components-dsp.js';
import type { JsonSchema } from './json-schema.js';
import { openApiPath, operationObject, type OperationSpec } from './operation.js';
import { coreOperations } from './operations-core.js';
import { dspOperations } from './operations-dsp.js';
import { federatedCatalogComponents, federatedCatalogOperations } from '../management/federated-catalog-openapi.js';
import { complianceComponents, complianceOperations } from '../management/compliance-openapi.js';
import { datasetComponents, datasetOperations } from '../management/datasets-openapi.js';

export const managementOperations: readonly OperationSpec[] = [...coreOperations, ...dspOperations, ...federatedCatalogOperations, ...complianceOperations, ...datasetOperations];

export function managementApiDocument(): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const spec of managementOperations) {
    const item = (paths[openApiPath(spec.path)] ??= {});
    item[spec.method] = operationObject(spec);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Sovereign connector management API',
      version: '1.0.0',
      description:
        "An agency's administration of its own connector: identity, offerings, remote catalogues, contract negotiations, " +
        'agreements, transfers and the audit trail. Every failure is RFC 9457 problem+json with a stable `code` (docs/errors.md).',
    },
    servers: [{ url: '/' }],
    security: [{ bearerAuth: [] }],
    tags: [...new Set(managementOperations.map((spec) => spec.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'The admin token, or the researcher token for researcher operations' },
      },
      schemas: { ...coreComponents, ...dspComponents, ...federatedCatalogComponents, ...datasetComponents, ...complianceComponents },
    },
  };
}
