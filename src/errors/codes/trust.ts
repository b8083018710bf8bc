import type { ErrorSpec } from '../spec.js';

export const trustCodes = {
  SOV_TRUST_TOKEN_MISSING: { status: 401, title: 'The connector token is missing' },
  SOV_TRUST_TOKEN_MALFORMED: { status: 401, title: 'The connector token is malformed' },
  SOV_TRUST_TOKEN_BAD_SIGNATURE: { status: 401, title: 'The connector token signature does not verify' },
  SOV_TRUST_TOKEN_WRONG_AUDIENCE: { status: 401, title: 'The connector token is for another audience' },
  SOV_TRUST_TOKEN_EXPIRED: { status: 401, title: 'The connector token has expired or is not yet valid' },
  SOV_TRUST_TOKEN_REPLAYED: { status: 401, title: 'The connector token was already used' },
  SOV_TRUST_TOKEN_REQUEST_MISMATCH: { status: 401, title: 'The connector token was issued for another request' },
  SOV_TRUST_KEY_NOT_AUTHORISED: { status: 401, title: 'The signing key is not authorised by its DID document' },
  SOV_TRUST_DID_UNRESOLVABLE: { status: 401, title: 'The caller DID could not be resolved' },
  SOV_TRUST_NOT_A_MEMBER: { status: 403, title: 'The caller holds no valid membership credential from a trusted registrar' },
  SOV_TRUST_ISSUER_NOT_TRUSTED: { status: 403, title: 'The credential issuer is not in this connector trust list' },
  SOV_TRUST_PRESENTATION_INVALID: { status: 403, title: 'The membership presentation does not verify' },
  SOV_TRUST_CHALLENGE_UNKNOWN: { status: 400, title: 'The presentation challenge is unknown or already used' },
  SOV_TRUST_ISSUER_KEY_NOT_PINNED: { status: 403, title: 'The credential was signed with a registrar key this connector has not pinned' },
  SOV_TRUST_MEMBERSHIP_REVOKED: { status: 403, title: 'The caller membership credential has been revoked or suspended' },
  SOV_TRUST_MEMBERSHIP_UNVERIFIABLE: { status: 403, title: 'The caller membership could not be checked (credential service unreachable or answer malformed)' },
  SOV_TRUST_ACCREDITATION_UNKNOWN: { status: 404, title: 'The registrar issued no membership credential with this id' },
} as const satisfies Record<string, ErrorSpec>;
