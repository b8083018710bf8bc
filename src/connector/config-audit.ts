/**
 * A partner's trust list and jurisdiction profile come from files an admin edits between
 * runs; the audit trail must show when what the connector enforces changed (issue 5:
 * "changes to … trust lists and profiles"). At start-up, the digest of each is compared with
 * the one last recorded, and a change (or the first run) is recorded with the new digest.
 */
import type { StoreAuditLog } from '../audit/index.js';
import type { AuditEntryInput, AuditEventType } from '../audit/index.js';
import { jsonDigest } from '../dsp/index.js';

async function lastDigest(audit: StoreAuditLog, type: AuditEventType): Promise<string | undefined> {
  const page = await audit.search({ type, limit: 1 });
  return page.ok ? (page.value.entries[0]?.digest ?? undefined) : undefined;
}

export async function auditEnforcedConfiguration(
  audit: StoreAuditLog,
  actor: string,
  enforced: Array<{ type: AuditEventType; subject: string; value: unknown; details: AuditEntryInput['details'] }>,
): Promise<void> {
  for (const item of enforced) {
    const digest = jsonDigest(item.value);
    if ((await lastDigest(audit, item.type)) === digest) continue;
    await audit.record({ actor, type: item.type, subjects: [item.subject], digest, ...(item.details === undefined ? {} : { details: item.details }) });
  }
}
