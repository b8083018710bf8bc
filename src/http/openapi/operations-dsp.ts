/** Operations on Dataspace Protocol processes: remote catalogues, negotiations, agreements, transfers. */
import { agreementListQuerySchema, catalogFetchSchema, codeReasonSchema, negotiationStartSchema, processListQuerySchema, resumeSchema, transferStartSchema } from '../management/schemas.js';
import { fromZod, ref } from './json-schema.js';
import type { OperationSpec } from './operation.js';

const negotiation = (description: string, status = 200) => ({ status, description, schema: ref('Negotiation') });
const transfer = (description: string, status = 200) => ({ status, description, schema: ref('Transfer') });

/** Suspend, resume, terminate: admin steering of a running transfer. */
const steer = (action: 'suspend' | 'resume' | 'terminate', summary: string): OperationSpec => ({
  method: 'post', path: `/transfers/:id/${action}`, operationId: `${action}Transfer`, tag: 'transfers', access: 'admin', summary,
  body: fromZod(action === 'resume' ? resumeSchema : codeReasonSchema), bodyOptional: true, success: transfer('The transfer process'), failures: [400, 404, 409],
});

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
    body: fromZod(codeReasonSchema), bodyOptional: true, success: negotiation('The negotiation, terminating'), failures: [400, 404, 409],
  },
  {
    method: 'get', path: '/agreements', operationId: 'listAgreements', tag: 'agreements', access: 'researcher',
    summary: 'List the agreements of FINALIZED negotiations, newest first (a researcher sees its own)', query: agreementListQuerySchema,
    success: { status: 200, description: 'A page of agreements', schema: ref('AgreementPage') }, failures: [400],
  },
  {
    method: 'get', path: '/agreements/:id', operationId: 'getAgreement', tag: 'agreements', access: 'researcher',
    summary: 'Show an agreement with both signatures', success: { status: 200, description: 'The agreement', schema: ref('Agreement') }, failures: [404],
  },
  {
    method: 'post', path: '/agreements/:id/verify', operationId: 'verifyAgreement', tag: 'agreements', access: 'researcher',
    summary: "Check the provider's and the consumer's signature over the agreement's canonical form",
    success: { status: 200, description: 'Each signature with its signer and errors', schema: ref('AgreementVerification') }, failures: [404],
  },
  {
    method: 'post', path: '/transfers', operationId: 'startTransfer', tag: 'transfers', access: 'researcher',
    summary: 'Request a transfer under a finalized agreement we hold (consumer side)',
    body: fromZod(transferStartSchema), success: transfer('The new transfer process', 201), failures: [400, 403, 404, 409],
  },
  {
    method: 'get', path: '/transfers', operationId: 'listTransfers', tag: 'transfers', access: 'researcher',
    summary: 'List transfer processes, newest first (a researcher sees its own)', query: processListQuerySchema,
    success: { status: 200, description: 'A page of transfers', schema: ref('TransferPage') }, failures: [400],
  },
  {
    method: 'get', path: '/transfers/:id', operationId: 'getTransfer', tag: 'transfers', access: 'researcher',
    summary: 'Show a transfer process', success: transfer('The transfer process'), failures: [404],
  },
  {
    method: 'post', path: '/transfers/:id/receive', operationId: 'receiveTransfer', tag: 'transfers', access: 'researcher',
    summary: 'Pull a STARTED transfer we requested (verified while stored, key kept as the offer says, signed receipt), then complete it; a received one answers its dataset',
    success: { status: 200, description: 'The dataset the transfer delivered', schema: ref('ReceivedDataset') }, failures: [403, 404, 409, 422, 502],
  },
  {
    method: 'get', path: '/transfers/:id/report', operationId: 'getTransferReport', tag: 'transfers', access: 'researcher',
    summary: 'The signed anonymisation report that travelled with the data, as verified on arrival, and its digest',
    success: { status: 200, description: 'The report', schema: ref('AnonymisationReport') }, failures: [404],
  },
  {
    method: 'get', path: '/transfers/:id/data', operationId: 'getTransferData', tag: 'transfers', access: 'researcher',
    summary: 'The received dataset decrypted; checked as it streams (container digest and signature, anonymisation report), the connection cut on any failure',
    success: { status: 200, description: 'The plaintext (CSV or JSON Lines as the provider offered it)', schema: { type: 'string', format: 'binary' }, mediaType: 'application/octet-stream' },
    failures: [403, 404, 422],
  },
  steer('suspend', 'Suspend a started transfer; the counterparty is told the code and reason'),
  steer('resume', 'Resume a suspended transfer'),
  steer('terminate', 'Terminate a transfer; the counterparty is told the code and reason'),
];
