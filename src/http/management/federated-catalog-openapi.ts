/**
 * The federated catalogue's operations and response schemas in the management API's OpenAPI
 * document (src/http/openapi/document.ts spreads them in).
 */
import { arrayOf, bool, dateTime, int, object, ref, str, type JsonSchema } from '../openapi/json-schema.js';
import type { OperationSpec } from '../openapi/operation.js';
import { federatedSearchQuerySchema } from './federated-catalog-router.js';

const nullable = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { type: 'null' }] });
const error = object({ code: str, detail: str });

const partnerStatus = object(
  {
    did: str,
    legalName: str,
    nation: nullable(str),
    status: { enum: ['ok', 'failed'] },
    stale: bool,
    crawledAt: nullable(dateTime),
    lastAttemptAt: dateTime,
    datasets: int,
  },
  { error },
);

const offer = object({ id: str, template: nullable(str), licence: nullable(str), purposes: arrayOf(str), policy: { type: 'object', required: ['@id'] } });

const hit = object({
  partner: object({ did: str, legalName: str, nation: nullable(str) }),
  dataset: object({ id: str, title: str, keywords: arrayOf(str), formats: arrayOf(str) }, { description: str, classification: str }),
  offers: arrayOf(offer),
  score: { type: 'number' },
  crawledAt: dateTime,
  stale: bool,
});

export const federatedCatalogComponents: Record<string, JsonSchema> = {
  FederatedPartnerStatus: partnerStatus,
  FederatedSearchResult: object({
    items: arrayOf(hit),
    total: int,
    page: int,
    pageSize: int,
    partners: arrayOf(ref('FederatedPartnerStatus')),
    unreachable: arrayOf(ref('FederatedPartnerStatus')),
    stale: arrayOf(str),
  }),
  CrawlReport: object({
    startedAt: dateTime,
    finishedAt: dateTime,
    registrars: arrayOf(object({ did: str, reached: bool }, { error })),
    partners: arrayOf(object({ did: str, status: { enum: ['ok', 'failed'] }, datasets: int }, { error })),
    removed: arrayOf(str),
  }),
};

export const federatedCatalogOperations: OperationSpec[] = [
  {
    method: 'get', path: '/catalog/federated/search', operationId: 'searchFederatedCatalog', tag: 'catalog', access: 'researcher',
    summary:
      "Search the last good copies of partners' catalogues (each already limited by its provider to the offers this connector's claims could satisfy); " +
      'the answer names partners that could not be reached or whose copy is stale',
    query: federatedSearchQuerySchema,
    success: { status: 200, description: 'A page of matching datasets with their offers, and the state of every partner', schema: ref('FederatedSearchResult') },
    failures: [400],
  },
  {
    method: 'post', path: '/catalog/federated/refresh', operationId: 'refreshFederatedCatalog', tag: 'catalog', access: 'admin',
    summary: "Crawl every partner's catalogue now (a crawl already running is joined)",
    success: { status: 200, description: 'How each registrar and partner answered', schema: ref('CrawlReport') },
  },
];
