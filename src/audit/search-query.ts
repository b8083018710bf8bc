/**
 * The admin search over the audit log (`sovc audit search`, the management API): inbound
 * filters validated by a schema, dates normalised to the ISO-8601 UTC form entries use, and
 * an opaque cursor (the seq to continue below) for paging newest-first.
 */
import { z } from 'zod';
import { fail, ok, type Result } from '../errors/index.js';
import { auditEventTypes } from './events.js';
import type { AuditFilter } from './ports.js';

const instant = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

export const auditSearchQuerySchema = z.strictObject({
  type: z.enum(auditEventTypes).optional(),
  actor: z.string().min(1).max(512).optional(),
  subject: z.string().min(1).max(512).optional(),
  /** Entries at or after this instant (a date means its UTC midnight). */
  since: instant.optional(),
  /** Entries before this instant. */
  until: instant.optional(),
  limit: z.number().int().min(1).max(1000).default(50),
  /** `nextCursor` of the previous page. */
  cursor: z.string().regex(/^[1-9]\d{0,15}$/).optional(),
});

export type AuditSearchQuery = z.input<typeof auditSearchQuerySchema>;

export function parseSearchQuery(query: unknown): Result<AuditFilter> {
  const parsed = auditSearchQuerySchema.safeParse(query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail('SOV_AUDIT_QUERY_INVALID', `invalid audit search: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(), {
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  const { cursor, since, until, ...rest } = parsed.data;
  const filter: AuditFilter = { ...rest };
  if (since !== undefined) filter.since = new Date(since).toISOString();
  if (until !== undefined) filter.until = new Date(until).toISOString();
  if (cursor !== undefined) filter.beforeSeq = Number(cursor);
  return ok(filter);
}
