/**
 * The closed list of audit event types (issue 5 "Audit log": the events at least). Add a new
 * type here and nowhere else: the entry schema, the CLI's `--type` choices and the docs
 * derive from this list.
 */
export const auditEventTypes = [
  'credential.issued',
  'credential.verified',
  'credential.refused',
  'credential.revoked',
  'negotiation.state',
  'transfer.state',
  'transfer.receipt',
  'policy.decision',
  'key.created',
  'key.rotated',
  'key.destroyed',
  'datakey.shredded',
  'key.released',
  'dataset.added',
  'dataset.shredded',
  'admin.login',
  'offering.changed',
  'trustlist.changed',
  'profile.changed',
  'compliance.report',
] as const;

export type AuditEventType = (typeof auditEventTypes)[number];

export function isAuditEventType(value: string): value is AuditEventType {
  return (auditEventTypes as readonly string[]).includes(value);
}
