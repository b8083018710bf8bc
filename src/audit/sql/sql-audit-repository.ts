/**
 * The audit repository on the relational store (ports.ts `AuditRepository`), in the portable
 * SQL of src/store/ports.ts. The chain lock is a transaction-scoped lock (`tx.lock`:
 * pg_advisory_xact_lock on Postgres; SQLite transactions are serialised already), and
 * `seq` is the primary key, so even a missing lock could not fork the chain.
 */
import type { Database, SqlExecutor, SqlValue, Transaction } from '../../store/index.js';
import type { AuditRecord } from '../entry.js';
import type { AuditChainWriter, AuditCheckpoint, AuditFilter, AuditRepository } from '../ports.js';

const ENTRY_COLUMNS = 'seq, time, actor, type, subjects, digest, details, prev_hash, hash';
const CHECKPOINT_COLUMNS = 'seq, head_hash, time, key_id, signature';

interface EntryRow {
  seq: number;
  time: string;
  actor: string;
  type: string;
  subjects: string;
  digest: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

interface CheckpointRow {
  seq: number;
  head_hash: string;
  time: string;
  key_id: string;
  signature: Uint8Array;
}

export function sqlAuditRepository(db: Database): AuditRepository<Transaction> {
  return {
    writer: chainWriter,
    inTransaction: (fn) => db.transaction(fn),
    recordsAfter: async (afterSeq, limit) =>
      (await db.all<EntryRow>(`SELECT ${ENTRY_COLUMNS} FROM audit_entry WHERE seq > ? ORDER BY seq LIMIT ?`, [afterSeq, limit])).map(toRecord),
    checkpoints: async () => (await db.all<CheckpointRow>(`SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoint ORDER BY seq`)).map(toCheckpoint),
    newest: async (count) => (await db.all<EntryRow>(`SELECT ${ENTRY_COLUMNS} FROM audit_entry ORDER BY seq DESC LIMIT ?`, [count])).map(toRecord),
    search: (filter) => searchRecords(db, filter),
  };
}

function chainWriter(tx: Transaction): AuditChainWriter {
  return {
    lockChain: () => tx.lock('audit-chain'),
    head: () => tx.get<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1'),
    lastCheckpoint: async () => {
      const row = await tx.get<CheckpointRow>(`SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoint ORDER BY seq DESC LIMIT 1`);
      return row === undefined ? undefined : toCheckpoint(row);
    },
    insertEntry: async (record) => {
      await tx.run(`INSERT INTO audit_entry (${ENTRY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, entryValues(record));
      await insertSubjects(tx, record);
    },
    insertEntryAfter: async (record, after) => {
      // The head check rides in the INSERT (two primary-key seeks): no SELECT round trip per append.
      const headIs = after.seq === 0 ? '' : ' AND EXISTS (SELECT 1 FROM audit_entry WHERE seq = ? AND hash = ?)';
      const headParams = after.seq === 0 ? [] : [after.seq, after.hash];
      const { changes } = await tx.run(
        `INSERT INTO audit_entry (${ENTRY_COLUMNS}) SELECT CAST(? AS BIGINT), ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM audit_entry WHERE seq > ?)${headIs}`,
        [...entryValues(record), after.seq, ...headParams],
      );
      if (changes !== 1) return false;
      await insertSubjects(tx, record);
      return true;
    },
    insertCheckpoint: async (checkpoint) => {
      await tx.run(`INSERT INTO audit_checkpoint (${CHECKPOINT_COLUMNS}) VALUES (?, ?, ?, ?, ?)`, [
        checkpoint.seq,
        checkpoint.headHash,
        checkpoint.time,
        checkpoint.keyId,
        checkpoint.signature,
      ]);
    },
  };
}

function entryValues(record: AuditRecord): SqlValue[] {
  const { seq, time, actor, type, subjects, digest, details, prevHash, hash } = record;
  return [seq, time, actor, type, subjects, digest, details, prevHash, hash];
}

async function insertSubjects(tx: SqlExecutor, record: AuditRecord): Promise<void> {
  const { seq, subjects } = record;
  const distinct = [...new Set(JSON.parse(subjects) as string[])];
  if (distinct.length === 0) return;
  // One multi-row statement per entry (at most 32 subjects): a protocol step appends several
  // entries of ~4 subjects each, and one INSERT per subject was the audit's largest store cost.
  const rows = distinct.map(() => '(?, ?)').join(', ');
  await tx.run(`INSERT INTO audit_subject (subject, seq) VALUES ${rows}`, distinct.flatMap((subject) => [subject, seq]));
}

async function searchRecords(db: Database, filter: AuditFilter): Promise<AuditRecord[]> {
  const conditions: string[] = [];
  const params: SqlValue[] = [];
  const add = (condition: string, value: SqlValue | undefined): void => {
    if (value === undefined) return;
    conditions.push(condition);
    params.push(value);
  };
  add('type = ?', filter.type);
  add('actor = ?', filter.actor);
  add('seq IN (SELECT seq FROM audit_subject WHERE subject = ?)', filter.subject);
  add('time >= ?', filter.since);
  add('time < ?', filter.until);
  add('seq < ?', filter.beforeSeq);
  const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
  const rows = await db.all<EntryRow>(`SELECT ${ENTRY_COLUMNS} FROM audit_entry ${where} ORDER BY seq DESC LIMIT ?`, [...params, filter.limit]);
  return rows.map(toRecord);
}

function toRecord(row: EntryRow): AuditRecord {
  const { prev_hash: prevHash, ...rest } = row;
  return { ...rest, prevHash };
}

function toCheckpoint(row: CheckpointRow): AuditCheckpoint {
  return { seq: row.seq, headHash: row.head_hash, time: row.time, keyId: row.key_id, signature: row.signature };
}
