/** POST /api/catalog/fetch: one page of a partner's DSP catalogue, by its DID or URL (any role). */
import { Router } from 'express';
import { problem } from '../problem.js';
import { reply, validate } from './exchange.js';
import type { RemoteCatalogs } from './ports.js';
import { catalogFetchSchema } from './schemas.js';

export function catalogRouter(options: { catalogs: RemoteCatalogs }): Router {
  const router = Router();
  router.post('/catalog/fetch', async (req, res) => {
    const body = validate(catalogFetchSchema, req.body, 'catalogue request');
    if (!body.ok) return problem(res, body);
    const { cursor, ...partner } = body.value;
    reply(res, await options.catalogs.fetchCatalog(partner, cursor));
  });
  return router;
}
