/**
 * The evaluator's inputs. A decision is a pure function of (compiled policy, request, world):
 * the connector builds the request from the peer's verified claims (identity/trust) and the
 * world from its clock, audit store and catalogue (odrl.md "Evaluation input and output").
 * Values that name things are IRIs; our own terms may be given compactly as `sov:...`, and
 * places as partner ids (`ca`, `eu/de` → `sov:place/ca`, `sov:place/eu/de`).
 */

/** The requesting party as established by verified credentials. */
export interface PartyClaims {
  /** The party's identifier: its DID (e.g. `did:web:ca.example%3A8443`). Matched against `assignee`. */
  id: string;
  /** The party's nation: a partner id (`ca`) or a place IRI. Default for the recipient jurisdiction. */
  nation?: string;
  /** Role IRIs (or `sov:` terms) from the membership credential; read by `sov:membershipRole`. */
  roles?: string[];
  /** PartyCollection IRIs the party is verifiably a member of (e.g. `sov:party/coalition`). */
  memberships?: string[];
  /** Industry sector IRI or term; read by `odrl:industry`. */
  industry?: string;
}

export interface PolicyRequest {
  /** The action requested: an ODRL term (`read`), `odrl:read`, or a full IRI. */
  action: string;
  /** The asset requested (dataset IRI). Rules without a target (catalogue offers) cover any. */
  target: string;
  assignee: PartyClaims;
  /** The stated purpose, an IRI such as `sov:purpose/research/health`; read by `odrl:purpose`. */
  purpose?: string;
}

/** An instant: ISO 8601 with a time zone, or milliseconds since the epoch. */
export type Instant = string | number;
/** A free value for other left operands; arrays are multi-valued. */
export type OperandValue = string | number | boolean | string[];

/**
 * The state of the world at decision time. Missing information never grants: a constraint
 * whose operand has no value here is "unknown", which fails a permission and keeps a
 * prohibition or a duty in force (fail closed; pinned by tests).
 */
export interface PolicyWorld {
  /** Decision time; read by `odrl:dateTime`. */
  now: Instant;
  /** When the agreement was concluded; `odrl:elapsedTime` is now minus this. */
  agreementTime?: Instant;
  /** Elapsed time since the agreement, overriding `agreementTime` (ms or xsd:duration). */
  elapsed?: number | string;
  /** Times the action has been exercised under this agreement so far (0 before the first use).
   * `odrl:count` measures the use being requested, i.e. `uses + 1`: `count lteq 5` allows 5 uses. */
  uses?: number;
  /** Where the data goes: partner id or place IRI. Defaults to `assignee.nation`. */
  recipientJurisdiction?: string;
  /** Places the recipient will store the data in. Defaults to the recipient jurisdiction. */
  residency?: string[];
  /** Places the recipient will store the metadata in. Defaults to `residency`. */
  metadataResidency?: string[];
  /** Dataset classification: a common-scale IRI (`sov:classification/official`), its ordinal,
   * or a label of the provider's scheme (mapped by `evaluateWithJurisdiction`). */
  classification?: string | number;
  /** Whether the dataset holds personal data (drives the profile's adequacy check). */
  personalData?: boolean;
  /** The recipient's data-protection regime IRI; defaults to the recipient profile's. */
  dataProtectionRegime?: string;
  /** Duties already performed: duty uids, or action IRIs/terms (`anonymize`). */
  dutiesFulfilled?: string[];
  /** `odrl:partOf` memberships of parties and assets: IRI → collection IRIs. */
  partOf?: Record<string, string[]>;
  /** Where the use takes place (`odrl:spatial`); defaults to the recipient jurisdiction. */
  spatial?: string;
  /** Party receiving the outcome (`odrl:recipient`); defaults to the assignee. */
  recipient?: string;
  /** Events by IRI with their period, for `odrl:event` (lt = before, eq = during, gt = after). */
  events?: Record<string, { start: Instant; end?: Instant }>;
  /** Values of other left operands, by IRI or ODRL term (`resolution`, `language`, ...). */
  operands?: Record<string, OperandValue>;
  /** Values of `rightOperandReference` IRIs, resolved from local data only. */
  references?: Record<string, OperandValue>;
}
