/**
 * Audit of the protocol state (issue 6): every negotiation or transfer state change appends a
 * `negotiation.state` / `transfer.state` entry and every new policy decision (negotiation
 * request and verification, transfer admission) a `policy.decision` entry carrying
 * the decision report's digest — inside the repository's commit transaction (its `onCommit`
 * hook), so the change and its entries are stored together or not at all. The state being
 * left is the one stored at the commit's `expectedVersion` (the commit only succeeds if that is
 * still the stored version): the repository remembers what it needs of each version it returned
 * or committed (`RecentVersions`), and reads the record again only for a version it has not seen.
 */
import type { AuditEntryInput, StoreAuditLog } from '../audit/index.js';
import type { Result } from '../errors/index.js';
import type { ContractNegotiation, NegotiationChange, NegotiationRepository } from '../negotiation/index.js';
import type { Database, Transaction } from '../store/index.js';
import {
  createSqlNegotiationRepository,
  createSqlTransferRepository,
  type SqlNegotiationRepository,
  type SqlTransferRepository,
  type TransferChange,
} from '../store/repositories/index.js';
import type { TransferProcess } from '../transfer/index.js';

export interface AuditedRepositoryOptions {
  db: Database;
  audit: StoreAuditLog;
  selfDid: string;
}

interface Audited {
  id: string;
  role: string;
  state?: string;
  counterpartyDid: string;
  received: object;
  termination?: { code?: string };
  decision?: { stage?: string; permitted: boolean; reasons: ReadonlyArray<{ code: string; message: string }>; reportDigest: string; decidedAt: string };
}

/** What the audit compares across a change, for one stored version of a record. */
export interface AuditedVersion {
  version: number;
  state?: string;
  decision?: { decidedAt: string; reportDigest: string };
  /** `received` as JSON: a change to it means a newly received message. */
  received: string;
}

export function auditedVersionOf(record: Audited & { version: number }): AuditedVersion {
  const { decision } = record;
  return {
    version: record.version,
    ...(record.state === undefined ? {} : { state: record.state }),
    ...(decision === undefined ? {} : { decision: { decidedAt: decision.decidedAt, reportDigest: decision.reportDigest } }),
    received: JSON.stringify(record.received),
  };
}

/** Versions at most remembered per repository: far above the records in flight at once. */
const REMEMBERED_VERSIONS = 8192;

/**
 * The audited view of the latest version of each record this repository returned or committed,
 * newest first out (a bounded LRU). A (record id, version) pair names one stored document for
 * good (versions only grow, and the commit of version v + 1 succeeds once), so a remembered
 * view of the expected version is exactly what a re-read inside the commit would return.
 */
export class RecentVersions {
  private readonly views = new Map<string, AuditedVersion>();

  constructor(private readonly capacity = REMEMBERED_VERSIONS) {}

  remember<R extends Audited & { version: number }>(record: R | undefined): R | undefined {
    if (record === undefined) return undefined;
    this.views.delete(record.id);
    this.views.set(record.id, auditedVersionOf(record));
    if (this.views.size > this.capacity) this.views.delete(this.views.keys().next().value as string);
    return record;
  }

  /** The view of `id` at exactly `version`, if remembered. */
  at(id: string, version: number): AuditedVersion | undefined {
    const view = this.views.get(id);
    return view?.version === version ? view : undefined;
  }
}

/** Entries for the change from `before` to `after` (none when neither state nor decision changed). */
export function protocolAuditEntries(kind: 'negotiation' | 'transfer', before: AuditedVersion | undefined, after: Audited, selfDid: string, subjects: string[]): AuditEntryInput[] {
  // A change that records a newly received message was caused by the counterparty.
  const inbound = JSON.stringify(after.received) !== (before?.received ?? '{}');
  const actor = inbound ? after.counterpartyDid : selfDid;
  const entries: AuditEntryInput[] = [];
  if (before?.state !== after.state) {
    entries.push({
      actor,
      type: kind === 'negotiation' ? 'negotiation.state' : 'transfer.state',
      subjects,
      details: {
        role: after.role, from: before?.state ?? null, to: after.state ?? null, counterparty: after.counterpartyDid,
        // Why it ended, by its stable code (e.g. the consumer's refused pull, src/connector/consumer-pulls.ts).
        ...(after.state === 'TERMINATED' && after.termination?.code !== undefined ? { code: after.termination.code } : {}),
      },
    });
  }
  const decision = after.decision;
  if (decision !== undefined && (before?.decision?.decidedAt !== decision.decidedAt || before.decision.reportDigest !== decision.reportDigest)) {
    entries.push({
      actor,
      type: 'policy.decision',
      subjects,
      digest: decision.reportDigest,
      details: {
        process: kind,
        stage: decision.stage ?? 'transfer',
        permitted: decision.permitted,
        reasons: decision.reasons.map((r) => ({ code: r.code, message: r.message })),
        counterparty: after.counterpartyDid,
      },
    });
  }
  return entries;
}

function negotiationSubjects(record: ContractNegotiation): string[] {
  const ids = [record.id, record.role === 'provider' ? record.consumerPid : record.providerPid, record.agreement?.['@id'], record.offer.target];
  return ids.filter((id): id is string => id !== undefined);
}

/** The repository surface both protocols share, as far as remembering versions goes. */
interface VersionedRepository<R, C> {
  get(id: string): Promise<R | undefined>;
  findByCounterpartyPid(counterpartyDid: string, pid: string): Promise<R | undefined>;
  commit(change: C): Promise<Result<void>>;
}

/**
 * `inner` remembering the versions it returns and commits, and setting `before` of each
 * change to the version it leaves (read again only when not remembered) for the commit hook.
 */
function remembering<R extends Audited & { version: number }, C extends { record: R; expectedVersion: number | null }, Repo extends VersionedRepository<R, C>>(
  inner: Repo,
  before: WeakMap<C, AuditedVersion | undefined>,
): Repo {
  const versions = new RecentVersions();
  const previous = async ({ record, expectedVersion }: C): Promise<AuditedVersion | undefined> => {
    if (expectedVersion === null) return undefined;
    const known = versions.at(record.id, expectedVersion);
    if (known !== undefined) return known;
    const stored = await inner.get(record.id);
    return stored === undefined ? undefined : auditedVersionOf(stored);
  };
  return {
    ...inner,
    get: async (id: string) => versions.remember(await inner.get(id)),
    findByCounterpartyPid: async (counterpartyDid: string, pid: string) => versions.remember(await inner.findByCounterpartyPid(counterpartyDid, pid)),
    async commit(change: C) {
      before.set(change, await previous(change));
      const result = await inner.commit(change);
      if (result.ok) versions.remember(change.record);
      return result;
    },
  };
}

/** The SQL negotiation repository whose commits append their audit entries in the same transaction. */
export function auditedNegotiationRepository(options: AuditedRepositoryOptions): SqlNegotiationRepository {
  const before = new WeakMap<NegotiationChange, AuditedVersion | undefined>();
  const inner = createSqlNegotiationRepository({
    db: options.db,
    onCommit: async (tx: Transaction, change) => {
      const entries = protocolAuditEntries('negotiation', before.get(change), change.record, options.selfDid, negotiationSubjects(change.record));
      for (const entry of entries) await options.audit.append(tx, entry);
    },
  });
  return remembering(inner, before) satisfies NegotiationRepository & SqlNegotiationRepository;
}

/** The SQL transfer repository whose commits append their audit entries in the same transaction. */
export function auditedTransferRepository(options: AuditedRepositoryOptions): SqlTransferRepository {
  const before = new WeakMap<TransferChange, AuditedVersion | undefined>();
  const subjects = (r: TransferProcess) => [r.id, r.role === 'provider' ? r.consumerPid : r.providerPid, r.agreementId, r.datasetId].filter((id): id is string => id !== undefined);
  const inner = createSqlTransferRepository({
    db: options.db,
    onCommit: async (tx: Transaction, change) => {
      for (const entry of protocolAuditEntries('transfer', before.get(change), change.record, options.selfDid, subjects(change.record))) {
        await options.audit.append(tx, entry);
      }
    },
  });
  return remembering(inner, before);
}
