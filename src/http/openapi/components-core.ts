/**
 * Response schemas of the management API's own resources: problems (RFC 9457), identity,
 * offerings, contract templates and the audit trail. Closed objects, so a field a route
 * starts returning without documenting it fails the OpenAPI test.
 */
import { auditEventTypes } from '../../audit/index.js';
import { anyObject, arrayOf, bool, dateTime, int, object, pageOf, ref, str, type JsonSchema } from './json-schema.js';

/** RFC 9457 §3: the standard members plus our stable `code`; extension members allowed. */
const problem: JsonSchema = {
  type: 'object',
  properties: { type: { type: 'string', format: 'uri' }, title: str, status: int, detail: str, code: { type: 'string', pattern: '^SOV_[A-Z0-9_]+$' } },
  required: ['type', 'title', 'status', 'detail', 'code'],
};

const publicKey = object(
  { keyId: str, kind: { enum: ['signing', 'agreement'] }, algorithm: str, status: { enum: ['active', 'retired', 'destroyed'] }, createdAt: dateTime },
  { retiredAt: dateTime, publicKeyMultibase: str },
);

const heldMembership = object({ issuer: str, types: arrayOf(str), current: bool }, { id: str, validFrom: dateTime, validUntil: dateTime });

const identity = object({
  did: str,
  name: str,
  partner: str,
  jurisdiction: str,
  publicBaseUrl: str,
  keys: arrayOf(publicKey),
  membership: object({ status: { enum: ['member', 'expired', 'none'] }, credentials: arrayOf(heldMembership) }),
  trustList: arrayOf(object({ did: str, keys: arrayOf(str), credentialTypes: arrayOf(str) }, { label: str })),
});

const policySource: JsonSchema = {
  anyOf: [object({ template: str, params: anyObject }), object({ odrl: anyObject })],
};

const offering = object(
  {
    id: str,
    offerId: str,
    title: str,
    keywords: arrayOf(str),
    formats: arrayOf(str),
    policy: object({ source: policySource, document: anyObject }),
    classification: str,
    personalData: bool,
    dataSource: object({ type: str, reference: str }),
    status: { enum: ['active', 'retired'] },
    createdAt: dateTime,
    updatedAt: dateTime,
    version: { type: 'integer', minimum: 1 },
  },
  { description: str, anonymisation: object({ declarationRef: str }), retiredAt: dateTime },
);

const template = object({ name: str, file: str, description: str, parameters: anyObject, example: anyObject });

const auditEntry = object({
  seq: int,
  time: dateTime,
  actor: str,
  type: { enum: [...auditEventTypes] },
  subjects: arrayOf(str),
  digest: { type: ['string', 'null'] },
  details: anyObject,
  prevHash: str,
  hash: str,
});

const auditProblem = object({ seq: int, kind: str, detail: str });

const auditVerification = object(
  { verified: bool, entries: int, checkpoints: int, signedThrough: int, problems: arrayOf(auditProblem) },
  { head: object({ seq: int, hash: str }), firstProblem: auditProblem },
);

export const coreComponents: Record<string, JsonSchema> = {
  Problem: problem,
  Identity: identity,
  Offering: offering,
  OfferingPage: pageOf(ref('Offering')),
  TemplateList: object({ items: arrayOf(template) }),
  AuditEntry: auditEntry,
  AuditPage: object({ entries: arrayOf(ref('AuditEntry')) }, { nextCursor: str }),
  AuditVerification: auditVerification,
};
