/** GET /api/templates: the contract templates of `contracts/` an offering's policy may name (any role). */
import { Router } from 'express';
import type { TemplateCatalogue } from '../../policy/index.js';

export function templatesRouter(options: { templates: Pick<TemplateCatalogue, 'list'> }): Router {
  const router = Router();
  router.get('/templates', (_req, res) => {
    res.json({ items: options.templates.list() });
  });
  return router;
}
