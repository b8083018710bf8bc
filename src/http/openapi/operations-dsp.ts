/** Operations on Dataspace Protocol processes: remote catalogues and contract negotiations. */
import { catalogFetchSchema, negotiationStartSchema, processListQuerySchema, terminateSchema } from '../management/schemas.js';
import { fromZod, ref } from './json-schema.js';
import type { OperationSpec } from './operation.js';

const negotiation = (description: string, status = 200) => ({ status, description, schema: ref('Negotiation') });

export const dspOperations: OperationSpec[] = [
  {
    method: 'post', path: '/catalog/fetch', operationId: 'fetchCatalog', tag: 'catalog', access: 'researcher',
    summary: "One page of a partner's DSP catalogue (by DID or URL), showing the offers its policies let us see",
    body: fromZod(catalogFetchSchema),
    success: { status: 200, description: 'The catalogue page and the partner it came from', schema: ref('RemoteCatalogPage') },
    failures: [400, 502],
  },
  {
    method: 'post', path: '/negotiations', operationId: 'startNegotiation', tag: 'negotiations', access: 'researcher',
    summary: "Request an offer of a partner's catalogue (consumer side); the request is sent from the outbox",
    body: fromZod(negotiationStartSchema), success: negotiation('The new negotiation', 201), failures: [400, 404, 502],
  },
  {
    method: 'get', path: '/negotiations', operationId: 'listNegotiations', tag: 'negotiations', access: 'researcher',
    summary: 'List negotiations, newest first (a researcher sees its own)', query: processListQuerySchema,
    success: { status: 200, description: 'A page of negotiations', schema: ref('NegotiationPage') }, failures: [400],
  },
  {
    method: 'get', path: '/negotiations/:id', operationId: 'getNegotiation', tag: 'negotiations', access: 'researcher',
    summary: 'Show a negotiation with its decision record (which rule, which constraint decided)',
    success: negotiation('The negotiation'), failures: [404],
  },
  {
    method: 'post', path: '/negotiations/:id/terminate', operationId: 'terminateNegotiation', tag: 'negotiations', access: 'admin',
    summary: 'Terminate a negotiation; the counterparty is told the code and reason',
    body: fromZod(terminateSchema), bodyOptional: true, success: negotiation('The negotiation, terminating'), failures: [400, 404, 409],
  },
];
