/**
 * GET /api/audit (search, newest first, paged) and GET /api/audit/verify (every hash link and
 * checkpoint signature): the audit trail is for admins only.
 */
import { Router } from 'express';
import { auditSearchQuerySchema, type AuditLog } from '../../audit/index.js';
import { requireRole } from '../auth.js';
import { queryOf, reply, validate } from './exchange.js';

export function auditRouter(options: { audit: Pick<AuditLog<unknown>, 'search' | 'verify'> }): Router {
  const router = Router();
  router.get('/audit', requireRole('admin'), async (req, res) => {
    const query = validate(auditSearchQuerySchema, queryOf(req), 'audit search', 'SOV_AUDIT_QUERY_INVALID');
    reply(res, query.ok ? await options.audit.search(query.value) : query);
  });
  router.get('/audit/verify', requireRole('admin'), async (_req, res) => {
    res.json(await options.audit.verify());
  });
  return router;
}
