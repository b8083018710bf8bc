/**
 * What the audit log needs from the outside (conventions §2): a repository over the stored
 * chain (the SQL adapter is in `sql/`) and a signer for checkpoints (kms, `kms-signer.ts`).
 * `Tx` is the caller's transaction handle, opaque here, so an entry commits or rolls back
 * with the state change it records.
 */
import type { AuditRecord } from './entry.js';

export interface AuditCheckpoint {
  /** Seq of the entry whose hash is signed. */
  seq: number;
  headHash: string;
  time: string;
  keyId: string;
  signature: Uint8Array;
}

export interface ChainHead {
  seq: number;
  hash: string;
}

/** The chain as seen from inside one transaction. */
export interface AuditChainWriter {
  /** Serialises appenders until the transaction ends; call before reading the head. */
  lockChain(): Promise<void>;
  head(): Promise<ChainHead | undefined>;
  lastCheckpoint(): Promise<AuditCheckpoint | undefined>;
  insertEntry(record: AuditRecord): Promise<void>;
  /**
   * Inserts `record` only if the stored head is still `after` (seq 0: the chain is empty), in
   * one statement; false (nothing written) when it is not, e.g. the transaction that appended
   * `after` rolled back or another process appended since.
   */
  insertEntryAfter(record: AuditRecord, after: ChainHead): Promise<boolean>;
  insertCheckpoint(checkpoint: AuditCheckpoint): Promise<void>;
}

/** Filters for `search`, already validated; `beforeSeq` is the page cursor. */
export interface AuditFilter {
  type?: string;
  actor?: string;
  subject?: string;
  since?: string;
  until?: string;
  beforeSeq?: number;
  limit: number;
}

export interface AuditRepository<Tx> {
  writer(tx: Tx): AuditChainWriter;
  /** Runs `fn` in a transaction of its own (entries that record no other state change). */
  inTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Up to `limit` records with seq > `afterSeq`, ascending. */
  recordsAfter(afterSeq: number, limit: number): Promise<AuditRecord[]>;
  /** Every checkpoint, ascending by seq. */
  checkpoints(): Promise<AuditCheckpoint[]>;
  /** The newest `count` records, descending. */
  newest(count: number): Promise<AuditRecord[]>;
  /** Records matching every given filter, descending by seq. */
  search(filter: AuditFilter): Promise<AuditRecord[]>;
}

/** Signs and verifies checkpoints; the kms implements it (Ed25519). */
export interface AuditSigner {
  sign(message: Uint8Array): Promise<{ keyId: string; signature: Uint8Array }>;
  verify(message: Uint8Array, signature: Uint8Array, keyId: string): Promise<boolean>;
}
