/**
 * The provider's data-plane endpoints (issue 7 "Transfers"), mounted at `/dataplane`. Every
 * route first authenticates the calling connector like any connector call (caller token bound
 * to the request + membership), then the domain checks the transfer token (`X-Transfer-Token`).
 * - `GET /transfers/:id/container[?fromChunk=i]`: the stored ciphertext as it is, streamed
 *   with backpressure in constant memory; `fromChunk` resumes at chunk record i (format §4).
 * - `GET /transfers/:id/envelope`: the handover key envelope.
 * - `GET /transfers/:id/report`: the signed anonymisation report of a transformed transfer.
 * - `POST /transfers/:id/receipt`: the consumer's signed receipt of the digest.
 * - `POST /key-release` `{agreementId, datasetId, containerDigest, purpose?}`: a one-time
 *   owner-held release, re-evaluated now.
 * Refusals are problem+json with the catalogue's status.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { fail, type Result } from '../../errors/index.js';
import { callerAuth, callerOf, jsonBody, renderFailure } from '../../http/index.js';
import type { CallerRequest } from '../../trust/index.js';
import { CONTAINER_MEDIA_TYPE, TRANSFER_TOKEN_HEADER } from '../transfer/data-address.js';
import { fromChunkOf } from './from-chunk.js';
import type { ProviderDataPlane } from '../transfer/provider-data-plane.js';
import type { DataPlaneCall } from '../transfer/provider-serve.js';

export interface ProviderRoutesOptions {
  dataPlane: ProviderDataPlane;
  authenticate(request: CallerRequest): Promise<Result<{ did: string }>>;
  maxBodyBytes: number;
}

const keyReleaseSchema = z.strictObject({
  agreementId: z.string().min(1).max(1024),
  datasetId: z.string().min(1).max(2048),
  containerDigest: z.string().regex(/^blake2b-256:[0-9a-f]{64}$/),
  purpose: z.string().min(1).max(2048).optional(),
});

function callOf(req: Request, res: Response): DataPlaneCall {
  const caller = callerOf<{ did: string }>(res);
  if (caller === undefined) throw new Error('data-plane routes run behind callerAuth');
  const token = req.get(TRANSFER_TOKEN_HEADER);
  return { transferId: String(req.params['id']), token, callerDid: caller.did };
}

async function sendContainer(options: ProviderRoutesOptions, req: Request, res: Response): Promise<void> {
  const from = fromChunkOf(req);
  if (!from.ok) return renderFailure(res, from);
  const stream = await options.dataPlane.container(callOf(req, res), from.value);
  if (!stream.ok) return renderFailure(res, stream);
  res.status(200).type(CONTAINER_MEDIA_TYPE).set('Cache-Control', 'no-store');
  // pipeline respects backpressure and destroys the response on a read error, which the
  // consumer sees as a cut connection and resumes from its last verified chunk.
  await pipeline(Readable.from(stream.value, { objectMode: false }), res).catch(() => undefined);
}

export function providerRoutes(options: ProviderRoutesOptions): Router {
  const router = express.Router();
  const auth = callerAuth({ authenticate: options.authenticate });
  const body = jsonBody(options.maxBodyBytes);
  router.get('/transfers/:id/container', auth, (req, res) => sendContainer(options, req, res));
  router.get('/transfers/:id/envelope', auth, async (req, res) => {
    const envelope = await options.dataPlane.envelope(callOf(req, res));
    if (!envelope.ok) return renderFailure(res, envelope);
    res.set('Cache-Control', 'no-store').json(envelope.value);
  });
  router.get('/transfers/:id/report', auth, async (req, res) => {
    const report = await options.dataPlane.report(callOf(req, res));
    if (!report.ok) return renderFailure(res, report);
    res.set('Cache-Control', 'no-store').json(report.value);
  });
  router.post('/transfers/:id/receipt', body, auth, async (req, res) => {
    const stored = await options.dataPlane.receipt(callOf(req, res), req.body);
    if (!stored.ok) return renderFailure(res, stored);
    res.json({ transferId: stored.value.transferId, receipt: 'stored' });
  });
  router.post('/key-release', body, auth, async (req, res) => {
    const parsed = keyReleaseSchema.safeParse(req.body);
    if (!parsed.success) return renderFailure(res, fail('SOV_VALIDATION_FAILED', `key-release request: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`));
    const caller = callerOf<{ did: string }>(res) as { did: string };
    const envelope = await options.dataPlane.releaseKey(caller.did, parsed.data);
    if (!envelope.ok) return renderFailure(res, envelope);
    res.set('Cache-Control', 'no-store').json(envelope.value);
  });
  return router;
}
