/**
 * Response schemas of the Dataspace Protocol processes as the management API shows them:
 * remote catalogues, contract negotiations with their decision records. The records belong
 * to the protocol capabilities, so the members they rely on are required and declared and
 * further members are allowed (a protocol record may grow without breaking this API).
 */
import { NEGOTIATION_STATES } from '../../negotiation/index.js';
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
  },
);

const catalogPage = object(
  { peer: object({ did: str, dspBase: str }), catalog: open({ '@id': str, '@type': { const: 'Catalog' } }, { dataset: arrayOf(open({ '@id': str, hasPolicy: arrayOf(open({ '@id': str })) })) }) },
  { next: str },
);

export const dspComponents: Record<string, JsonSchema> = {
  RemoteCatalogPage: catalogPage,
  Negotiation: negotiation,
  NegotiationPage: pageOf(ref('Negotiation')),
};
