/**
 * The outbox on the relational store: `insertOutboxEntries` and `settleAcknowledged` run inside
 * a repository's commit transaction (the state change and its messages are stored together,
 * conventions §5; an acknowledged state and its settled entry too);
 * `sqlOutboxStore` is the worker's `OutboxStore`. A lease is one conditional UPDATE, so when two
 * workers race for a row (Postgres re-checks the WHERE after the row lock; SQLite serialises
 * writes) exactly one gets it; settling is conditional on the lease token.
 */
import type { AcknowledgedEntry, OutboxEntry } from '../../dsp/index.js';
import type { OutboxStore } from '../../outbox/index.js';
import type { Database, SqlExecutor } from '../ports.js';

const ENTRY_COLUMNS = 'id, process, local_pid, message, url, recipient, body, created_at, attempts';

interface EntryRow {
  id: string;
  process: OutboxEntry['process'];
  local_pid: string;
  message: string;
  url: string;
  recipient: string;
  body: string;
  created_at: string;
  attempts: number;
}

/** Stores `entries` as pending, due at their `createdAt`. */
export async function insertOutboxEntries(tx: SqlExecutor, entries: readonly OutboxEntry[]): Promise<void> {
  for (const e of entries) {
    const due = Date.parse(e.createdAt);
    if (Number.isNaN(due)) throw new Error(`outbox entry ${e.id} has no valid createdAt: ${e.createdAt}`);
    await tx.run(
      `INSERT INTO outbox_entry (id, process, local_pid, message, url, recipient, body, created_at, status, attempts, next_attempt_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?)`,
      [e.id, e.process, e.localPid, e.message, e.url, e.recipient, JSON.stringify(e.body), e.createdAt, due],
    );
  }
}

/**
 * Marks an entry delivered inside the commit that records its acknowledgement (the sender-side
 * transition on a 2xx). Whoever holds its lease: once the acknowledgement is stored the entry
 * is delivered, and a worker that still holds a lease on it finds it settled (markDelivered
 * answers false). An entry already settled is left as it is.
 */
export async function settleAcknowledged(tx: SqlExecutor, acknowledged: AcknowledgedEntry): Promise<void> {
  await tx.run(
    `UPDATE outbox_entry SET status = 'delivered', settled_at = ?, lease_token = NULL, lease_until = NULL WHERE id = ? AND status = 'pending'`,
    [acknowledged.at, acknowledged.outboxId],
  );
}

/**
 * Whether entry `id` has been leased at least once (leasing counts the attempt before anything
 * is sent) or settled: only then may its recipient hold the message. An unknown id: false.
 */
export async function outboxEntrySent(db: SqlExecutor, id: string): Promise<boolean> {
  const row = await db.get<{ attempts: number; status: string }>('SELECT attempts, status FROM outbox_entry WHERE id = ?', [id]);
  return row !== undefined && (row.attempts > 0 || row.status !== 'pending');
}

// An entry is due when it is pending, its retry time has come, nobody holds a live lease on it,
// and no earlier entry of the same process is still pending (one process's messages go in order).
const DUE_IDS = `SELECT o.id FROM outbox_entry o
  WHERE o.status = 'pending' AND o.next_attempt_at <= ? AND (o.lease_until IS NULL OR o.lease_until <= ?)
    AND NOT EXISTS (SELECT 1 FROM outbox_entry p
      WHERE p.process = o.process AND p.local_pid = o.local_pid AND p.status = 'pending' AND p.seq < o.seq)
  ORDER BY o.next_attempt_at, o.seq LIMIT ?`;

// One statement leases the whole batch. The lease conditions are repeated at the top level:
// Postgres re-checks those on a row another transaction changed meanwhile (READ COMMITTED), so
// a row two workers both selected goes to exactly one of them.
const TAKE = `UPDATE outbox_entry SET lease_token = ?, lease_until = ?, attempts = attempts + 1
  WHERE id IN (${DUE_IDS}) AND status = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
  RETURNING seq, ${ENTRY_COLUMNS}`;

export function sqlOutboxStore(db: Database): OutboxStore {
  return {
    async lease({ now, leaseUntil, leaseToken, limit }) {
      const rows = await db.all<EntryRow & { seq: number }>(TAKE, [leaseToken, leaseUntil, now, now, limit, now, now]);
      // RETURNING has no order: oldest first again, for a predictable batch.
      return rows.sort((a, b) => a.seq - b.seq).map((row) => ({ entry: toEntry(row), attempts: row.attempts, leaseToken }));
    },
    markDelivered: (id, leaseToken, now) => settle(db, id, leaseToken, `status = 'delivered', settled_at = ?`, [now]),
    reschedule: (id, leaseToken, { nextAttemptAt, lastError }) =>
      settle(db, id, leaseToken, 'next_attempt_at = ?, last_error = ?', [nextAttemptAt, lastError]),
    markFailed: (id, leaseToken, { lastError, now }) =>
      settle(db, id, leaseToken, `status = 'failed', last_error = ?, settled_at = ?`, [lastError, now]),
  };
}

/** Applies `assignments` and releases the lease, only while `leaseToken` still holds the entry. */
async function settle(db: Database, id: string, leaseToken: string, assignments: string, values: Array<string | number>): Promise<boolean> {
  const sql = `UPDATE outbox_entry SET ${assignments}, lease_token = NULL, lease_until = NULL
    WHERE id = ? AND lease_token = ? AND status = 'pending'`;
  const { changes } = await db.run(sql, [...values, id, leaseToken]);
  return changes === 1;
}

function toEntry(row: EntryRow): OutboxEntry {
  return {
    id: row.id,
    process: row.process,
    localPid: row.local_pid,
    message: row.message,
    url: row.url,
    recipient: row.recipient,
    body: JSON.parse(row.body) as Record<string, unknown>,
    createdAt: row.created_at,
  };
}
