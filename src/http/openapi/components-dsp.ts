/**
 * Response schemas of the Dataspace Protocol processes as the management API shows them:
 * remote catalogues, contract negotiations with their decision records, agreements with
 * both signatures, transfer processes. The records belong
 * to the protocol capabilities, so the members they rely on are required and declared and
 * further members are allowed (a protocol record may grow without breaking this API).
 */
import { NEGOTIATION_STATES } from '../../negotiation/index.js';
import { TRANSFER_STATES } from '../../transfer/index.js';
import { anyObject, arrayOf, bool, dateTime, int, object, pageOf, ref, str, type JsonSchema } from './json-schema.js';

const open = (required: Record<string, JsonSchema>, optional: Record<string, JsonSchema> = {}): JsonSchema => ({
  type: 'object',
  properties: { ...required, ...optional },
  required: Object.keys(required),
});

const role: JsonSchema = { enum: ['consumer', 'provider'] };

const policyReason = open({ code: str, message: str }, { rule: str, constraint: str });

const decisionRecord = open({
  stage: { enum: ['request', 'verification'] },
  permitted: bool,
  reasons: arrayOf(policyReason),
  report: {},
  reportDigest: str,
  decidedAt: dateTime,
});

const negotiation = open(
  {
    id: str,
    role,
    counterpartyDid: str,
    counterpartyAddress: str,
    offer: open({ '@id': str, target: str }),
    offerBy: role,
    proofs: anyObject,
    received: anyObject,
    createdAt: dateTime,
    updatedAt: dateTime,
    version: int,
  },
  {
    consumerPid: str,
    providerPid: str,
    state: { enum: [...NEGOTIATION_STATES] },
    agreement: open({ '@id': str, '@type': { const: 'Agreement' }, target: str }),
    decision: decisionRecord,
    awaitingDecision: bool,
    termination: open({ by: role, at: dateTime }, { code: str, reason: arrayOf({}) }),
    pending: open({ message: str, outboxId: str }),
    purpose: { ...str, description: 'The purpose IRI the consumer stated in its request (bound into the agreement)' },
  },
);

const catalogPage = object(
  { peer: object({ did: str, dspBase: str }), catalog: open({ '@id': str, '@type': { const: 'Catalog' } }, { dataset: arrayOf(open({ '@id': str, hasPolicy: arrayOf(open({ '@id': str })) })) }) },
  { next: str },
);

const agreementDocument = open({ '@id': str, '@type': { const: 'Agreement' }, target: str, assigner: {}, assignee: {} });

const agreement = object({
  id: str,
  negotiationId: str,
  role,
  counterpartyDid: str,
  target: str,
  agreement: agreementDocument,
  proofs: object({}, { provider: anyObject, consumer: anyObject }),
  concludedAt: dateTime,
});

const signatureCheck = object({ signer: str, verified: bool, errors: arrayOf(str) });

const transferEvent = open({ by: role, at: dateTime }, { code: str, reason: arrayOf({}) });

const transfer = open(
  {
    id: str,
    role,
    counterpartyDid: str,
    counterpartyAddress: str,
    agreementId: str,
    datasetId: str,
    format: str,
    received: anyObject,
    createdAt: dateTime,
    updatedAt: dateTime,
    version: int,
  },
  {
    consumerPid: str,
    providerPid: str,
    state: { enum: [...TRANSFER_STATES] },
    dataAddress: anyObject,
    decision: open({ permitted: bool, reasons: arrayOf(policyReason), reportDigest: str, decidedAt: dateTime }),
    suspension: transferEvent,
    termination: transferEvent,
    pending: open({ message: str, outboxId: str }),
    // GET /transfers/:id of a consumer transfer: container bytes our data plane holds of its pull.
    progress: object({ bytes: int }, { total: int }),
  },
);

/** A dataset a consumer transfer delivered (src/http/management/received-data-router.ts). */
const receivedDataset = object(
  {
    id: str, offeringId: str, version: str, containerDigest: str, size: int, plaintextLength: int, signer: str,
    keyRelease: { enum: ['handover', 'owner-held'] }, receivedFrom: open({ providerDid: str, agreementId: str, transferId: str }), status: { enum: ['ready', 'shredded'] }, createdAt: dateTime,
  },
  { anonymisationReport: object({ digest: str, plaintextSha256: str }) },
);

/** The signed anonymisation report (src/anonymise-flow `SignedAnonymisationReport`), as verified on arrival. */
const receivedReport = object({
  transferId: str,
  datasetId: str,
  digest: str,
  plaintextSha256: str,
  report: open({ type: { const: 'SignedAnonymisationReport' }, issuer: str, agreementId: str, containerDigest: str, models: anyObject, report: anyObject, proof: anyObject }),
});

export const dspComponents: Record<string, JsonSchema> = {
  RemoteCatalogPage: catalogPage,
  Negotiation: negotiation,
  NegotiationPage: pageOf(ref('Negotiation')),
  Agreement: agreement,
  AgreementPage: pageOf(ref('Agreement')),
  AgreementVerification: object({ agreementId: str, verified: bool, provider: signatureCheck, consumer: signatureCheck }),
  Transfer: transfer,
  TransferPage: pageOf(ref('Transfer')),
  ReceivedDataset: receivedDataset,
  AnonymisationReport: receivedReport,
};
