/**
 * The federated catalogue on the management API (issue 9 "Federated catalogue"):
 * GET /api/catalog/federated/search (any role) searches the last good copies of partners'
 * catalogues — which each provider already filtered to the offers this connector's claims
 * could satisfy — and names partners that could not be reached or whose copy is stale;
 * POST /api/catalog/federated/refresh (admin) crawls every partner now.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { CrawlReport, FederatedSearchQuery, FederatedSearchResult } from '../../catalog/federated/index.js';
import { ok } from '../../errors/index.js';
import { requireRole } from '../auth.js';
import { problem } from '../problem.js';
import { queryOf, reply, validate } from './exchange.js';

export interface FederatedCatalogCommands {
  search(query: FederatedSearchQuery): Promise<FederatedSearchResult>;
  refresh(): Promise<CrawlReport>;
}

const text = (max: number, what: string) => z.string().trim().min(1).max(max).optional().describe(what);

export const federatedSearchQuerySchema = z.strictObject({
  q: z.string().max(500).optional().describe('Words to find in titles, keywords and descriptions (all must match; prefixes count)'),
  nation: z.string().regex(/^[A-Za-z]{2,8}$/, 'a nation code such as UK').optional().describe("The partner's nation (its verified jurisdiction), e.g. UK"),
  classification: text(100, "The provider's classification label, e.g. OFFICIAL"),
  purpose: text(100, 'Only offers usable for this purpose (limited to it, or to no purpose), e.g. research'),
  template: text(200, 'Only offers made from this contract template (e.g. research-anonymised) or naming this licence'),
  page: z.number().int().min(1).max(10_000).optional().describe('Page number, from 1'),
  pageSize: z.number().int().min(1).max(100).optional().describe('Results per page, 1..100 (default 20)'),
});

export function federatedCatalogRouter(options: { catalogue: FederatedCatalogCommands }): Router {
  const router = Router();
  router.get('/catalog/federated/search', async (req, res) => {
    const query = validate(federatedSearchQuerySchema, queryOf(req, ['page', 'pageSize']), 'federated catalogue search');
    if (!query.ok) return problem(res, query);
    reply(res, ok(await options.catalogue.search(query.value as FederatedSearchQuery)));
  });
  router.post('/catalog/federated/refresh', requireRole('admin'), async (_req, res) => {
    reply(res, ok(await options.catalogue.refresh()));
  });
  return router;
}
