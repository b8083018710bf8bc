/**
 * Compliance evidence on the management API (issue 5 "Compliance evidence"): an admin asks
 * for the evidence pack of a period — every dataset that left the nation, every refusal, key
 * events, the jurisdiction profile in force — signed by the connector as a verifiable
 * credential, with its readable HTML rendering beside it for the console to offer as a download.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { Result } from '../../errors/index.js';
import { requireRole } from '../auth.js';
import { problem } from '../problem.js';
import { queryOf, reply, validate } from './exchange.js';

export const complianceReportQuerySchema = z.strictObject({
  since: z.string().min(10).max(40).describe('Start of the period: an ISO 8601 date or date-time (entries at or after it)'),
  partner: z.string().min(2).max(500).optional().describe('Only transfers and refusals to or from this partner code (e.g. ca) or DID'),
});

export interface ComplianceReports {
  /** The signed evidence pack (a ComplianceEvidenceCredential) and its HTML rendering. */
  report(query: z.infer<typeof complianceReportQuerySchema>): Promise<Result<{ credential: unknown; html: string }>>;
}

export function complianceRouter(options: { reports: ComplianceReports }): Router {
  const router = Router();
  router.get('/compliance/report', requireRole('admin'), async (req, res) => {
    const query = validate(complianceReportQuerySchema, queryOf(req), 'compliance report query');
    if (!query.ok) return problem(res, query);
    reply(res, await options.reports.report(query.value));
  });
  return router;
}
