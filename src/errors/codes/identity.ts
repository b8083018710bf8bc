import type { ErrorSpec } from '../spec.js';

/**
 * Identity failures: did:web resolution, JSON-LD loading, VC/VP verification, status lists.
 * Verification refusals are 401 when the proof itself does not hold (wrong key, tampering,
 * replayed presentation) and 403 when a valid credential is not acceptable (expired, revoked,
 * untrusted issuer), matching identity.md §7.3.
 */
export const identityCodes = {
  SOV_IDENTITY_INVALID_DID: { status: 400, title: 'The DID is not a valid did:web identifier' },
  SOV_IDENTITY_INSECURE_TRANSPORT: { status: 400, title: 'did:web over plain http is allowed only for loopback hosts' },
  SOV_IDENTITY_DID_UNRESOLVABLE: { status: 502, title: 'The DID document could not be fetched' },
  SOV_IDENTITY_DID_DOCUMENT_INVALID: { status: 502, title: 'The DID document is malformed or names another DID' },
  SOV_IDENTITY_DID_DOCUMENT_TOO_LARGE: { status: 502, title: 'The DID document exceeds the size limit' },
  SOV_IDENTITY_VERIFICATION_METHOD_NOT_FOUND: { status: 401, title: 'The DID document has no such verification method' },
  SOV_IDENTITY_UNKNOWN_CONTEXT: { status: 400, title: 'The document uses a JSON-LD context this connector does not ship' },
  SOV_IDENTITY_CREDENTIAL_MALFORMED: { status: 400, title: 'The credential or presentation is not a valid VC Data Model 2.0 document' },
  SOV_IDENTITY_PROOF_INVALID: { status: 401, title: 'The proof does not verify: the document was altered or signed by another key' },
  SOV_IDENTITY_KEY_NOT_AUTHORIZED: { status: 401, title: 'The signing key is not an authorised key of the issuer or holder' },
  SOV_IDENTITY_CREDENTIAL_EXPIRED: { status: 403, title: 'The credential is past its validUntil' },
  SOV_IDENTITY_CREDENTIAL_NOT_YET_VALID: { status: 403, title: 'The credential is before its validFrom' },
  SOV_IDENTITY_CREDENTIAL_REVOKED: { status: 403, title: 'The credential has been revoked or suspended' },
  SOV_IDENTITY_STATUS_UNAVAILABLE: { status: 403, title: 'The credential status could not be confirmed' },
  SOV_IDENTITY_ISSUER_NOT_TRUSTED: { status: 403, title: 'The credential issuer is not on the trust list' },
  SOV_IDENTITY_HOLDER_MISMATCH: { status: 403, title: 'The presentation holder is not the subject of a credential' },
  SOV_IDENTITY_CHALLENGE_MISMATCH: { status: 401, title: 'The presentation was not signed for this challenge' },
  SOV_IDENTITY_DOMAIN_MISMATCH: { status: 401, title: 'The presentation was not signed for this domain' },
  SOV_IDENTITY_CREDENTIAL_UNKNOWN: { status: 404, title: 'No credential with this id has a status entry' },
  SOV_IDENTITY_STATUS_LIST_FULL: { status: 507, title: 'The status list has no free index left' },
} as const satisfies Record<string, ErrorSpec>;
