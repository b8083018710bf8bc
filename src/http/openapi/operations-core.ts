/** Operations on this connector's own resources: identity, offerings, templates, audit, the document itself. */
import { auditSearchQuerySchema } from '../../audit/index.js';
import { createOfferingSchema, updateOfferingSchema } from '../../offerings/index.js';
import { offeringListQuerySchema, replaceOfferingSchema, retireOfferingSchema } from '../management/schemas.js';
import { anyObject, fromZod, ref } from './json-schema.js';
import type { OperationSpec } from './operation.js';

const offering = (description: string, status = 200) => ({ status, description, schema: ref('Offering') });

export const coreOperations: OperationSpec[] = [
  {
    method: 'get', path: '/openapi.json', operationId: 'getOpenApiDocument', tag: 'meta', access: 'public',
    summary: 'This document (OpenAPI 3.1)',
    success: { status: 200, description: 'The OpenAPI document', schema: anyObject },
  },
  {
    method: 'get', path: '/identity', operationId: 'getIdentity', tag: 'identity', access: 'researcher',
    summary: "This connector's DID, public keys, membership credentials and trust list",
    success: { status: 200, description: 'The identity summary', schema: ref('Identity') },
  },
  {
    method: 'post', path: '/offerings', operationId: 'createOffering', tag: 'offerings', access: 'admin',
    summary: 'Offer a dataset: metadata, a policy (contract template + parameters, or inline ODRL), classification, data source',
    body: fromZod(createOfferingSchema),
    success: offering('The new offering (version 1)', 201),
    failures: [400, 409],
  },
  {
    method: 'get', path: '/offerings', operationId: 'listOfferings', tag: 'offerings', access: 'researcher',
    summary: 'List offerings, newest first', query: offeringListQuerySchema,
    success: { status: 200, description: 'A page of offerings', schema: ref('OfferingPage') },
    failures: [400],
  },
  {
    method: 'get', path: '/offerings/:id', operationId: 'getOffering', tag: 'offerings', access: 'researcher',
    summary: 'Show one offering', success: offering('The offering'), failures: [404],
  },
  {
    method: 'patch', path: '/offerings/:id', operationId: 'updateOffering', tag: 'offerings', access: 'admin',
    summary: 'Change some fields (a new version; a new policy is a new offer id)',
    body: fromZod(updateOfferingSchema), success: offering('The new version'), failures: [400, 404, 409],
  },
  {
    method: 'put', path: '/offerings/:id', operationId: 'replaceOffering', tag: 'offerings', access: 'admin',
    summary: 'Replace every field (a new version; optional fields left out are removed)',
    body: fromZod(replaceOfferingSchema), success: offering('The new version'), failures: [400, 404, 409],
  },
  {
    method: 'post', path: '/offerings/:id/retire', operationId: 'retireOffering', tag: 'offerings', access: 'admin',
    summary: 'Retire an offering: it leaves the catalogue and accepts no further change',
    body: fromZod(retireOfferingSchema), bodyOptional: true, success: offering('The retired offering'), failures: [400, 404, 409],
  },
  {
    method: 'get', path: '/templates', operationId: 'listTemplates', tag: 'policy', access: 'researcher',
    summary: 'The contract templates of contracts/ an offering policy may name',
    success: { status: 200, description: 'Every template with its parameters', schema: ref('TemplateList') },
  },
  {
    method: 'get', path: '/audit', operationId: 'searchAudit', tag: 'audit', access: 'admin',
    summary: 'Search the audit trail, newest first', query: auditSearchQuerySchema,
    success: { status: 200, description: 'A page of entries', schema: ref('AuditPage') },
    failures: [400],
  },
  {
    method: 'get', path: '/audit/verify', operationId: 'verifyAudit', tag: 'audit', access: 'admin',
    summary: 'Check every hash link and checkpoint signature of the audit trail',
    success: { status: 200, description: 'The verification, naming the first bad entry if any', schema: ref('AuditVerification') },
  },
];
