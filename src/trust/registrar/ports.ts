/**
 * What a registrar remembers of what it issued (identity.md §7.1): one record per membership
 * credential, so an operator can list members and revoke by id, and the registrar can show
 * when and why a credential stopped being valid.
 */
import type { MemberRole } from '../membership.js';

export interface AccreditationRecord {
  credentialId: string;
  /** The member connector's DID. */
  subject: string;
  legalName: string;
  jurisdiction: string;
  roles: MemberRole[];
  /** ISO 8601 times from the injected clock. */
  issuedAt: string;
  validUntil: string;
  revokedAt?: string;
  /** The signed credential as issued. */
  credential: Record<string, unknown>;
}

export interface RegistrarRepository {
  record(entry: AccreditationRecord): Promise<void>;
  get(credentialId: string): Promise<AccreditationRecord | undefined>;
  /** Every record, oldest first. */
  list(): Promise<AccreditationRecord[]>;
  markRevoked(credentialId: string, revokedAt: string): Promise<void>;
}
