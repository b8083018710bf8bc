/** GET /api/identity: this connector's DID, public keys, membership and trust list (any role). */
import { Router } from 'express';
import type { IdentitySummary } from './identity-summary.js';

export function identityRouter(options: { describe: () => Promise<IdentitySummary> }): Router {
  const router = Router();
  router.get('/identity', async (_req, res) => {
    res.json(await options.describe());
  });
  return router;
}
