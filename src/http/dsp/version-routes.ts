/**
 * DSP version discovery (dsp.md §2): `GET /.well-known/dspace-version` at the connector root
 * (RFC 8615), unversioned and unauthenticated, naming the path of our 2025-1 base and the
 * DCP-shaped auth overlay every other DSP endpoint requires.
 */
import express, { type Router } from 'express';
import { versionResponse } from '../../dsp/index.js';

export const DSP_VERSION_PATH = '/.well-known/dspace-version';

export function versionRoutes(options: { basePath: string }): Router {
  const router = express.Router();
  const document = versionResponse({ path: options.basePath });
  router.get(DSP_VERSION_PATH, (_req, res) => {
    res.json(document);
  });
  return router;
}
