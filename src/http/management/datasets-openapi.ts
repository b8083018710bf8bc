/**
 * The datasets (upload included) and outbound-transfer operations and their response schemas in the management
 * API's OpenAPI document (src/http/openapi/document.ts spreads them in).
 */
import { anyObject, arrayOf, bool, dateTime, int, object, ref, str, type JsonSchema } from '../openapi/json-schema.js';
import type { OperationSpec } from '../openapi/operation.js';
import { datasetUploadQuerySchema } from './dataset-upload-router.js';
import { datasetContentQuerySchema } from './datasets-router.js';

const keyRelease = { enum: ['handover', 'owner-held'] };

const dataset = object(
  {
    id: str, offeringId: str, version: str, origin: { enum: ['local', 'received'] }, containerDigest: str, size: int, plaintextLength: int, signer: str,
    status: { enum: ['ready', 'shredded'] }, keyStored: bool, createdAt: dateTime, updatedAt: dateTime,
  },
  {
    keyRelease,
    receivedFrom: object({ providerDid: str, agreementId: str, transferId: str }, { keyReleaseEndpoint: str }),
    anonymisationReport: object({ digest: str, plaintextSha256: str }),
  },
);

const outboundTransfer = object(
  {
    transferId: str, agreementId: str, consumerDid: str, offeringId: str, containerDigest: str, keyRelease,
    status: { enum: ['active', 'suspended', 'completed', 'terminated'] }, policyDecisionDigest: str, createdAt: dateTime, updatedAt: dateTime,
  },
  { transformReport: anyObject, receipt: anyObject },
);

export const datasetComponents: Record<string, JsonSchema> = {
  Dataset: dataset,
  DatasetList: object({ items: arrayOf(ref('Dataset')) }),
  OutboundTransfer: outboundTransfer,
};

const id = { tag: 'datasets' } as const;

export const datasetOperations: OperationSpec[] = [
  {
    method: 'post', path: '/datasets', operationId: 'uploadDataset', ...id, access: 'admin',
    summary: 'A new version of an offering from the file sent as the body (Content-Length required: the plaintext length), encrypted once as it streams in; a body that ends short or is cut leaves no dataset',
    query: datasetUploadQuerySchema,
    body: { type: 'string', format: 'binary' }, bodyMediaType: 'application/octet-stream',
    success: { status: 201, description: 'The new dataset record (Location: its URL)', schema: ref('Dataset') },
    failures: [400, 404, 411, 413, 415],
  },
  {
    method: 'get', path: '/datasets', operationId: 'listDatasets', ...id, access: 'researcher',
    summary: 'Datasets held here, ingested or received (a researcher sees those its own transfers delivered)',
    success: { status: 200, description: 'The dataset records', schema: ref('DatasetList') },
  },
  {
    method: 'get', path: '/datasets/:id', operationId: 'getDataset', ...id, access: 'researcher',
    summary: 'Show a dataset record', success: { status: 200, description: 'The dataset record', schema: ref('Dataset') }, failures: [404],
  },
  {
    method: 'get', path: '/datasets/:id/content', operationId: 'getDatasetContent', ...id, access: 'researcher',
    summary: "The plaintext, decrypted and verified as it streams (owner-held data: a one-time key release asked of its owner); the connection is cut on any failure after the first byte",
    query: datasetContentQuerySchema,
    success: { status: 200, description: 'The plaintext', schema: { type: 'string', format: 'binary' }, mediaType: 'application/octet-stream' },
    failures: [400, 403, 404, 410, 502],
  },
  {
    method: 'post', path: '/datasets/:id/shred', operationId: 'shredDataset', ...id, access: 'admin',
    summary: 'Crypto-shred a dataset: its data key is destroyed (owner-held: no consumer can open it again); audited',
    success: { status: 200, description: 'The shredded dataset record', schema: ref('Dataset') }, failures: [404],
  },
  {
    method: 'get', path: '/outbound-transfers/:id', operationId: 'getOutboundTransfer', ...id, access: 'admin',
    summary: "The provider's record of a transfer it served (by its transfer id): digest, key release, signed receipt and anonymisation report; never the token or key envelope",
    success: { status: 200, description: 'The outbound transfer', schema: ref('OutboundTransfer') }, failures: [404],
  },
];
