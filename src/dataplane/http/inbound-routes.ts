/**
 * The consumer's push sinks (issue 7 "Push"; docs/format.md §6), mounted at
 * `/dataplane/inbound`. Every route first authenticates the calling connector like any
 * connector call, then the domain checks the sink token (`X-Transfer-Token`) and that the
 * caller is the provider it was issued to.
 * - `GET /:sinkId`: where the push stands (`open` with the chunk to resume from, `stored`, `received`).
 * - `POST /:sinkId/container[?fromChunk=i]`: the container (from chunk record i), streamed in
 *   constant memory with backpressure and verified as it arrives. Its caller token binds the
 *   body's SHA-256, checked as the bytes end (`streamedCallerAuth`), never by holding them.
 * - `POST /:sinkId/delivery`: the delivery message; answers once the dataset is kept.
 * Refusals are problem+json with the catalogue's status.
 */
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { fail, type Result } from '../../errors/index.js';
import { callerAuth, callerOf, jsonBody, renderFailure, streamedBody, streamedBodyOf, streamedCallerAuth } from '../../http/index.js';
import type { CallerRequest } from '../../trust/index.js';
import type { ConsumerInbound } from '../transfer/consumer-inbound.js';
import type { InboundCall } from '../transfer/consumer-sink.js';
import { CONTAINER_MEDIA_TYPE, TRANSFER_TOKEN_HEADER } from '../transfer/data-address.js';
import { fromChunkOf } from './from-chunk.js';

export interface InboundRoutesOptions {
  inbound: ConsumerInbound;
  authenticate(request: CallerRequest): Promise<Result<{ did: string }>>;
  maxBodyBytes: number;
}

function callOf(req: Request, res: Response): InboundCall {
  const caller = callerOf<{ did: string }>(res);
  if (caller === undefined) throw new Error('inbound routes run behind callerAuth');
  return { sinkId: String(req.params['sinkId']), token: req.get(TRANSFER_TOKEN_HEADER), callerDid: caller.did };
}

async function takeContainer(options: InboundRoutesOptions, req: Request, res: Response): Promise<void> {
  if (!req.is(CONTAINER_MEDIA_TYPE)) return renderFailure(res, fail('SOV_UNSUPPORTED_MEDIA_TYPE', `a pushed container is sent as ${CONTAINER_MEDIA_TYPE}`));
  const from = fromChunkOf(req);
  if (!from.ok) return renderFailure(res, from);
  const stored = await options.inbound.container(callOf(req, res), from.value, streamedBodyOf(res));
  if (!stored.ok) return renderFailure(res, stored);
  res.set('Cache-Control', 'no-store').json(stored.value);
}

export function inboundRoutes(options: InboundRoutesOptions): Router {
  const router = express.Router();
  const auth = callerAuth({ authenticate: options.authenticate });
  router.get('/:sinkId', auth, async (req, res) => {
    const status = await options.inbound.status(callOf(req, res));
    if (!status.ok) return renderFailure(res, status);
    res.set('Cache-Control', 'no-store').json(status.value);
  });
  const longBody: RequestHandler = (req, _res, next) => {
    streamedBody(req);
    next();
  };
  // The deadline is lifted only for an authenticated caller, so a stranger cannot hold a connection open.
  router.post('/:sinkId/container', streamedCallerAuth({ authenticate: options.authenticate }), longBody, (req, res) => takeContainer(options, req, res));
  router.post('/:sinkId/delivery', jsonBody(options.maxBodyBytes), auth, async (req, res) => {
    const received = await options.inbound.delivery(callOf(req, res), req.body);
    if (!received.ok) return renderFailure(res, received);
    res.set('Cache-Control', 'no-store').json({ datasetId: received.value.id, containerDigest: `blake2b-256:${received.value.containerDigest}`, received: 'kept' });
  });
  return router;
}
