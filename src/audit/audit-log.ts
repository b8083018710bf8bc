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
import type { AuditChainWriter, AuditCheckpoint, AuditRepository, AuditSigner } from './ports.js';
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

  async function append(tx: Tx, input: AuditEntryInput): Promise<AuditEntry> {
    const writer = repository.writer(tx);
    // Lock before reading the head: the read and the insert must not interleave with another appender.
    await writer.lockChain();
    const head = await writer.head();
    const { record, entry } = sealEntry(input, (head?.seq ?? 0) + 1, isoTime(clock), head?.hash ?? GENESIS_HASH);
    await writer.insertEntry(record);
    await checkpointIfDue(writer, { seq: record.seq, hash: record.hash }, false);
    return entry;
  }

  async function checkpointIfDue(writer: AuditChainWriter, head: { seq: number; hash: string }, force: boolean): Promise<AuditCheckpoint | undefined> {
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
