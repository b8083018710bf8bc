/**
 * The data-plane part of an admin's management API that the running federation needs and
 * src/http/management does not offer yet: without it a pull transfer started through
 * `/api/transfers` stays STARTED (the consumer pull runs only in-process, `sovc transfer pull`
 * refuses while the connector serves), and nothing received can be read. Mounted under `/api`
 * beside the management routers, behind the same bearer tokens, admin only:
 * - `POST /api/transfers/:id/receive`: the consumer pulls a STARTED transfer it requested
 *   (verified while stored, key kept as the offer says, signed receipt) and completes it;
 *   asked again for a received transfer, answers the dataset it already holds.
 * - `GET /api/datasets`, `GET /api/datasets/:id`: dataset records (local and received).
 * - `GET /api/datasets/:id/content`: the plaintext, decrypted and verified as it streams;
 *   owner-held data asks its owner for a one-time release. A failure after the first byte cuts
 *   the connection, so a client never takes a truncated or unverified body for a whole one.
 * - `GET /api/outbound-transfers/:id`: the provider's record of a transfer it served (by the
 *   provider's transfer id): container digest, key release and the signed anonymisation
 *   report — never the transfer token or key envelope.
 * These belong in src/http/management with their OpenAPI entries; they live here until then.
 */
import { Router, type RequestHandler, type Response } from 'express';
import type { Connector } from '../connector/index.js';
import type { OutboundTransfer } from '../dataplane/index.js';
import { fail, ok, type Result } from '../errors/index.js';
import { createBearerAuth, problem, requireRole } from '../http/index.js';

export interface DataPlaneRoutesOptions {
  connector: Pick<Connector, 'dataPlane' | 'dsp' | 'clock'>;
  adminToken: string;
}

const ID = /^[a-zA-Z][a-zA-Z0-9+.-]*:\S{1,1990}$/;

function idParam(raw: unknown, what: string): Result<string> {
  return typeof raw === 'string' && ID.test(raw) ? ok(raw) : fail('SOV_VALIDATION_FAILED', `The ${what} id is invalid: expected an IRI such as urn:uuid:…`);
}

function reply<T>(res: Response, result: Result<T>): void {
  if (result.ok) res.json(result.value);
  else problem(res, result);
}

/** What an admin may see of an outbound transfer: no bearer token, no key envelope. */
export function outboundView(record: OutboundTransfer) {
  const { transferId, agreementId, consumerDid, offeringId, containerDigest, keyRelease, status, transformReport, policyDecisionDigest, createdAt, updatedAt } = record;
  return { transferId, agreementId, consumerDid, offeringId, containerDigest, keyRelease, status, transformReport, policyDecisionDigest, createdAt, updatedAt };
}

async function streamContent(connector: DataPlaneRoutesOptions['connector'], id: string, res: Response): Promise<void> {
  const opened = await connector.dataPlane.openDataset(id);
  if (!opened.ok) return problem(res, opened);
  res.status(200).type('application/octet-stream').set('Content-Disposition', 'attachment');
  try {
    for await (const chunk of opened.value) {
      if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
    }
    res.end();
  } catch {
    // Headers are out: cutting the connection is the only signal a client cannot miss.
    res.destroy();
  }
}

export function dataPlaneRoutes(options: DataPlaneRoutesOptions): { auth: RequestHandler; router: Router } {
  const { connector } = options;
  const router = Router();
  const admin = requireRole('admin');

  router.post('/transfers/:id/receive', admin, async (req, res) => {
    const id = idParam(req.params['id'], 'transfer');
    if (!id.ok) return problem(res, id);
    const already = await connector.dataPlane.datasets.findReceived(id.value);
    reply(res, already !== undefined ? ok(already) : await connector.dataPlane.receive(id.value));
  });

  router.get('/datasets', admin, async (_req, res) => {
    res.json({ items: await connector.dataPlane.datasets.list() });
  });

  router.get('/datasets/:id', admin, async (req, res) => {
    const id = idParam(req.params['id'], 'dataset');
    if (!id.ok) return problem(res, id);
    const record = await connector.dataPlane.datasets.get(id.value);
    reply(res, record === undefined ? fail('SOV_NOT_FOUND', `No dataset ${id.value}`) : ok(record));
  });

  router.get('/datasets/:id/content', admin, async (req, res) => {
    const id = idParam(req.params['id'], 'dataset');
    if (!id.ok) return problem(res, id);
    await streamContent(connector, id.value, res);
  });

  router.get('/outbound-transfers/:id', admin, async (req, res) => {
    const id = idParam(req.params['id'], 'transfer');
    if (!id.ok) return problem(res, id);
    const record = await connector.dataPlane.provider.outbound(id.value);
    reply(res, record === undefined ? fail('SOV_NOT_FOUND', `No outbound transfer ${id.value}`) : ok(outboundView(record)));
  });

  const auth = createBearerAuth({ tokens: [{ role: 'admin', token: options.adminToken }], clock: connector.clock });
  return { auth, router };
}

/** Mounts the routes on the connector's app under `/api`, after the management API's own. */
export function mountDataPlaneRoutes(connector: Connector, adminToken: string): void {
  const { auth, router } = dataPlaneRoutes({ connector, adminToken });
  connector.http.mount('/api', auth, router);
}
