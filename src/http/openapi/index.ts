/**
 * The management API's OpenAPI 3.1 document as data: operations declared next to the
 * routers (who may call them, parameters, bodies generated from the routes' zod schemas,
 * success and problem+json responses) and response schemas; `openApiRouter` serves it.
 */
import { Router } from 'express';
import { managementApiDocument } from './document.js';

export { managementApiDocument, managementOperations } from './document.js';
export { openApiPath, type OperationSpec } from './operation.js';
export type { JsonSchema } from './json-schema.js';

/** GET /openapi.json (under /api): the document, built once. No token needed: it holds no secret. */
export function openApiRouter(): Router {
  const document = JSON.stringify(managementApiDocument());
  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(document);
  });
  return router;
}
