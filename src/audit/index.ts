/**
 * The audit trail (issue 5 "Audit log"): an append-only, hash-chained log of who did what to
 * which agreement, transfer, dataset or key, with signed checkpoints (Ed25519 through kms)
 * every N entries or T minutes. Callers append inside the transaction of the state change
 * they record (`audit.append(tx, entry)`), so the two commit or roll back together;
 * `verify()` names the first changed, removed, inserted, reordered or truncated entry and
 * any forged checkpoint; `tail` and `search` serve admins (CLI, management API).
 * Event types are the closed list in `events.ts`.
 */
export { auditEventTypes, isAuditEventType, type AuditEventType } from './events.js';
export { GENESIS_HASH, entryHash, type AuditEntry, type AuditEntryInput, type AuditRecord } from './entry.js';
export { createAuditLog, type AuditLog, type AuditLogOptions, type AuditSearchPage } from './audit-log.js';
export { createStoreAuditLog, type StoreAuditLog } from './sql-audit-log.js';
export { auditMigrations } from './sql/audit-migrations.js';
export { sqlAuditRepository } from './sql/sql-audit-repository.js';
export { kmsAuditSigner } from './kms-signer.js';
export { defaultCheckpointPolicy, checkpointMessage, type CheckpointPolicy } from './checkpoint.js';
export { verifyAuditLog, type AuditVerification, type AuditProblem, type AuditProblemKind } from './verify.js';
export { auditSearchQuerySchema, type AuditSearchQuery } from './search-query.js';
export type { AuditCheckpoint, AuditSigner, AuditRepository, AuditChainWriter, AuditFilter, ChainHead } from './ports.js';
