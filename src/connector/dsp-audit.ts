/**
 * Audit of the protocol state (issue 6): every negotiation or transfer state change appends a
 * `negotiation.state` / `transfer.state` entry and every new policy decision (negotiation
 * request and verification, transfer admission) a `policy.decision` entry carrying
 * the decision report's digest — inside the repository's commit transaction (its `onCommit`
 * hook), so the change and its entries are stored together or not at all. The record before
 * the change is read just ahead of the commit: the commit only succeeds if the stored version
 * is still the one read, so that read is exactly the state being left.
 */
import type { AuditEntryInput, StoreAuditLog } from '../audit/index.js';
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

/** Entries for the change from `before` to `after` (none when neither state nor decision changed). */
export function protocolAuditEntries(kind: 'negotiation' | 'transfer', before: Audited | undefined, after: Audited, selfDid: string, subjects: string[]): AuditEntryInput[] {
  // A change that records a newly received message was caused by the counterparty.
  const inbound = JSON.stringify(after.received) !== JSON.stringify(before?.received ?? {});
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

/** The SQL negotiation repository whose commits append their audit entries in the same transaction. */
export function auditedNegotiationRepository(options: AuditedRepositoryOptions): SqlNegotiationRepository {
  const before = new WeakMap<NegotiationChange, ContractNegotiation | undefined>();
  const inner = createSqlNegotiationRepository({
    db: options.db,
    onCommit: async (tx: Transaction, change) => {
      const entries = protocolAuditEntries('negotiation', before.get(change), change.record, options.selfDid, negotiationSubjects(change.record));
      for (const entry of entries) await options.audit.append(tx, entry);
    },
  });
  return {
    ...inner,
    async commit(change) {
      before.set(change, change.expectedVersion === null ? undefined : await inner.get(change.record.id));
      return inner.commit(change);
    },
  } satisfies NegotiationRepository & SqlNegotiationRepository;
}

/** The SQL transfer repository whose commits append their audit entries in the same transaction. */
export function auditedTransferRepository(options: AuditedRepositoryOptions): SqlTransferRepository {
  const before = new WeakMap<TransferChange, TransferProcess | undefined>();
  const subjects = (r: TransferProcess) => [r.id, r.role === 'provider' ? r.consumerPid : r.providerPid, r.agreementId, r.datasetId].filter((id): id is string => id !== undefined);
  const inner = createSqlTransferRepository({
    db: options.db,
    onCommit: async (tx: Transaction, change) => {
      for (const entry of protocolAuditEntries('transfer', before.get(change), change.record, options.selfDid, subjects(change.record))) {
        await options.audit.append(tx, entry);
      }
    },
  });
  return {
    ...inner,
    async commit(change) {
      before.set(change, change.expectedVersion === null ? undefined : await inner.get(change.record.id));
      return inner.commit(change);
    },
  };
}
