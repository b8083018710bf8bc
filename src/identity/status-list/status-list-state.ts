/**
 * Bitstring Status List 1.0 data shared by the issuer and verifier sides (identity.md §4):
 * the entry a credential carries, and the persisted state of one list the issuer hosts.
 */
export type StatusPurpose = 'revocation' | 'suspension';

/** BSL §2.1 `BitstringStatusListEntry`; the index is a decimal string. */
export interface StatusListEntry {
  id: string;
  type: 'BitstringStatusListEntry';
  statusPurpose: StatusPurpose;
  statusListIndex: string;
  statusListCredential: string;
}

/** BSL §2.1: at least 131,072 entries (16 KiB) so one index tells an observer little (herd privacy). */
export const MIN_STATUS_LIST_LENGTH = 131_072;

/** What an issuer persists per list; indexes, once allocated, are never handed out again. */
export interface StatusListState {
  listUrl: string;
  statusPurpose: StatusPurpose;
  length: number;
  /** credential id → its index. */
  allocations: Record<string, number>;
  /** Indexes whose bit is set (revoked), ascending. */
  revoked: number[];
  /** Bumped on every change of a bit, so a stale signed list is never served. */
  revision: number;
  /** The last signed list credential and the revision it reflects. */
  signed?: { revision: number; validUntil: string; credential: Record<string, unknown> };
}

/** Port: where an issuer keeps its lists (JSON file adapter here; a DB adapter in src/store). */
export interface StatusListRepository {
  load(listUrl: string): Promise<StatusListState | undefined>;
  save(state: StatusListState): Promise<void>;
}
