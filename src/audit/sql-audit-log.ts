/**
 * The composition most callers want: the audit log on the connector's relational store.
 * Run `auditMigrations` (with the other capabilities' migrations) before first use.
 */
import type { Database, Transaction } from '../store/index.js';
import { createAuditLog, type AuditLog, type AuditLogOptions } from './audit-log.js';
import { sqlAuditRepository } from './sql/sql-audit-repository.js';

export type StoreAuditLog = AuditLog<Transaction>;

export function createStoreAuditLog(options: Omit<AuditLogOptions<Transaction>, 'repository'> & { db: Database }): StoreAuditLog {
  const { db, ...rest } = options;
  return createAuditLog({ ...rest, repository: sqlAuditRepository(db) });
}
