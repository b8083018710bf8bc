/**
 * The audit log (issue 5 "Audit log"): append inside the caller's transaction, so a state
 * change and its entry commit or roll back together; checkpoint on policy; verify, tail and
 * search for admins. Appenders serialise on the chain lock before reading the head, so
 * concurrent appends always extend one linear chain.
 */
import { isoTime, type Clock } from '../clock/index.js';
import { ok, type Result } from '../errors/index.js';
import { checkpointDue, defaultCheckpointPolicy, signCheckpoint, type CheckpointPolicy } from './checkpoint.js';
import { decodeRecord, GENESIS_HASH, sealEntry, type AuditEntry, type AuditEntryInput } from './entry.js';
import type { AuditChainWriter, AuditCheckpoint, AuditRepository, AuditSigner, ChainHead } from './ports.js';
import { parseSearchQuery, type AuditSearchQuery } from './search-query.js';
import { verifyAuditLog, type AuditVerification } from './verify.js';

export interface AuditLogOptions<Tx> {
  repository: AuditRepository<Tx>;
  signer: AuditSigner;
  clock: Clock;
  checkpoints?: Partial<CheckpointPolicy>;
}

export interface AuditSearchPage {
  /** Newest first. */
  entries: AuditEntry[];
  /** Pass as `cursor` for the next (older) page; absent on the last page. */
  nextCursor?: string;
}

export interface AuditLog<Tx> {
  /** Appends inside the caller's transaction `tx`; invalid input is a bug and throws (rolling `tx` back). */
  append(tx: Tx, input: AuditEntryInput): Promise<AuditEntry>;
  /** Appends in a transaction of its own, for events with no other state change (e.g. a login). */
  record(input: AuditEntryInput): Promise<AuditEntry>;
  /** Signs the current head now unless it already is (e.g. on shutdown or a timer); undefined when empty. */
  checkpoint(): Promise<AuditCheckpoint | undefined>;
  verify(): Promise<AuditVerification>;
  /** The newest `count` entries, oldest first. */
  tail(count: number): Promise<AuditEntry[]>;
  search(query: AuditSearchQuery): Promise<Result<AuditSearchPage>>;
}

export function createAuditLog<Tx>(options: AuditLogOptions<Tx>): AuditLog<Tx> {
  const { repository, signer, clock } = options;
  const policy: CheckpointPolicy = { ...defaultCheckpointPolicy, ...options.checkpoints };
  /**
   * The chain head and newest checkpoint as of this log's last append, so an append need not
   * read them (two SELECTs per entry). Only a guess: the append's INSERT checks the stored
   * head is still this one (insertEntryAfter) and falls back to reading both when it is not —
   * the transaction that wrote them rolled back, another process appended, a row was tampered
   * with. A stale checkpoint without a stale head can only come from `checkpoint()`, which
   * forgets it. Undefined: not known, read them.
   */
  let known: { head: ChainHead; checkpoint: AuditCheckpoint | undefined } | undefined;

  async function append(tx: Tx, input: AuditEntryInput): Promise<AuditEntry> {
    const writer = repository.writer(tx);
    // Lock before reading the head: the read and the insert must not interleave with another appender.
    await writer.lockChain();
    const time = isoTime(clock);
    const guess = known;
    if (guess !== undefined) {
      const sealed = sealEntry(input, guess.head.seq + 1, time, guess.head.hash);
      if (await writer.insertEntryAfter(sealed.record, guess.head)) return appended(writer, sealed, guess.checkpoint);
      known = undefined;
    }
    const head = (await writer.head()) ?? { seq: 0, hash: GENESIS_HASH };
    const checkpoint = await writer.lastCheckpoint();
    const sealed = sealEntry(input, head.seq + 1, time, head.hash);
    await writer.insertEntry(sealed.record);
    return appended(writer, sealed, checkpoint);
  }

  async function appended(writer: AuditChainWriter, sealed: ReturnType<typeof sealEntry>, last: AuditCheckpoint | undefined): Promise<AuditEntry> {
    const head = { seq: sealed.record.seq, hash: sealed.record.hash };
    let checkpoint = last;
    if (checkpointDue(policy, head, last, clock.now())) {
      checkpoint = await signCheckpoint(signer, head, isoTime(clock));
      await writer.insertCheckpoint(checkpoint);
    }
    known = { head, checkpoint };
    return sealed.entry;
  }

  async function checkpointIfDue(writer: AuditChainWriter, head: ChainHead, force: boolean): Promise<AuditCheckpoint | undefined> {
    const last = await writer.lastCheckpoint();
    if (last?.seq === head.seq) return last;
    if (!force && !checkpointDue(policy, head, last, clock.now())) return undefined;
    const checkpoint = await signCheckpoint(signer, head, isoTime(clock));
    await writer.insertCheckpoint(checkpoint);
    return checkpoint;
  }

  return {
    append,
    record: (input) => repository.inTransaction((tx) => append(tx, input)),
    checkpoint: () =>
      repository.inTransaction(async (tx) => {
        const writer = repository.writer(tx);
        await writer.lockChain();
        // Its transaction may still roll back: the next append reads the newest checkpoint.
        known = undefined;
        const head = await writer.head();
        return head === undefined ? undefined : checkpointIfDue(writer, head, true);
      }),
    verify: () => verifyAuditLog({ repository, signer }),
    tail: async (count) => {
      if (!Number.isSafeInteger(count) || count < 1) throw new RangeError(`tail count must be a positive integer, got ${count}`);
      return (await repository.newest(count)).reverse().map(decodeRecord);
    },
    search: async (query) => {
      const filter = parseSearchQuery(query);
      if (!filter.ok) return filter;
      const records = await repository.search({ ...filter.value, limit: filter.value.limit + 1 });
      const page = records.slice(0, filter.value.limit);
      const last = page[page.length - 1];
      const more = records.length > filter.value.limit && last !== undefined;
      return ok(more ? { entries: page.map(decodeRecord), nextCursor: String(last.seq) } : { entries: page.map(decodeRecord) });
    },
  };
}
