/**
 * Datasets and outbound transfers on the management API (issue 7 "Datasets", "Transfers"):
 * - `POST /datasets?offering=ID` (admin, dataset-upload-router.ts): a new version of an
 *   offering from a streamed plaintext body.
 * - `GET /datasets`, `GET /datasets/:id`: the dataset records, local (ingested here) and
 *   received; a researcher sees only what transfers it started delivered (a received
 *   dataset's id is our transfer id), admins see all.
 * - `GET /datasets/:id/content[?purpose=…]`: the plaintext, decrypted and verified as it
 *   streams; for owner-held data our connector asks the owner for a one-time key release
 *   (for `purpose`). A failure after the first byte cuts the connection, so a client never
 *   takes a truncated or unverified body for a whole one.
 * - `POST /datasets/:id/shred` (admin): crypto-shredding, the data key destroyed and audited.
 * - `GET /outbound-transfers/:id` (admin): what the provider side kept of a transfer it served
 *   (by its own transfer id): container digest, key release, the signed receipt and
 *   anonymisation report — never the transfer token or the key envelope.
 */
import { Router, type Response } from 'express';
import { z } from 'zod';
import type { DatasetRecord, OutboundTransfer, VerifiedOutput } from '../../dataplane/index.js';
import { fail, ok, type Result } from '../../errors/index.js';
import { requireRole } from '../auth.js';
import { problem } from '../problem.js';
import { actorOf, paramOf, queryOf, reply, streamAttachment, validate } from './exchange.js';
import type { ProcessOwners } from './ports.js';
import { maySee } from './process-owners.js';

export interface DatasetCommands {
  /**
   * Encrypts `source` once into a new version of offering `offeringId` (refused before a byte is
   * read when there is no such offering); a failed or short source leaves no dataset behind.
   */
  add(input: { source: AsyncIterable<Uint8Array>; offeringId: string; plaintextLength: number; actor: string }): Promise<Result<DatasetRecord>>;
  list(): Promise<DatasetRecord[]>;
  get(id: string): Promise<DatasetRecord | undefined>;
  /** The plaintext; verified only once the iteration ends without throwing. */
  open(id: string, options: { purpose?: string }): Promise<Result<VerifiedOutput>>;
  shred(id: string, actor: string): Promise<Result<DatasetRecord>>;
  outbound(transferId: string): Promise<OutboundTransfer | undefined>;
}

export const datasetContentQuerySchema = z.strictObject({
  purpose: z.string().min(1).max(2000).optional().describe('Owner-held data: the purpose the one-time key release is asked for (a purpose IRI or short name)'),
});

/** A dataset as the API shows it: whether a key is held, not which one; no store internals. */
export function datasetView(record: DatasetRecord) {
  const { id, offeringId, version, origin, containerDigest, size, plaintextLength, signer, keyRelease, receivedFrom, transformReport, status, createdAt, updatedAt } = record;
  return {
    id, offeringId, version, origin, containerDigest, size, plaintextLength, signer, status, createdAt, updatedAt,
    keyStored: record.dataKeyId !== undefined && status !== 'shredded',
    ...(keyRelease === undefined ? {} : { keyRelease }),
    ...(receivedFrom === undefined ? {} : { receivedFrom }),
    ...(transformReport === undefined ? {} : { anonymisationReport: { digest: transformReport.digest, plaintextSha256: transformReport.plaintextSha256 } }),
  };
}

/** What an admin may see of an outbound transfer: no bearer token, no key envelope. */
export function outboundView(record: OutboundTransfer) {
  const { transferId, agreementId, consumerDid, offeringId, containerDigest, keyRelease, status, transformReport, receipt, policyDecisionDigest, createdAt, updatedAt } = record;
  return {
    transferId, agreementId, consumerDid, offeringId, containerDigest, keyRelease, status, policyDecisionDigest, createdAt, updatedAt,
    ...(transformReport === undefined ? {} : { transformReport }),
    ...(receipt === undefined ? {} : { receipt }),
  };
}

export type DatasetView = ReturnType<typeof datasetView>;

export function datasetsRouter(options: { datasets: DatasetCommands; owners: ProcessOwners }): Router {
  const { datasets, owners } = options;
  const router = Router();
  const admin = requireRole('admin');
  /** Researchers reach only what their own transfers delivered (the record id is our transfer id). */
  const visible = async (res: Response, record: DatasetRecord | undefined) => record !== undefined && (await maySee(owners, res, 'transfer', record.id));
  const find = async (res: Response, id: string): Promise<Result<DatasetRecord>> => {
    const record = await datasets.get(id);
    return (await visible(res, record)) ? ok(record as DatasetRecord) : fail('SOV_DATAPLANE_DATASET_NOT_FOUND', `No dataset ${id}`, { id });
  };

  router.get('/datasets', async (_req, res) => {
    const items: DatasetView[] = [];
    for (const record of await datasets.list()) if (await visible(res, record)) items.push(datasetView(record));
    res.json({ items });
  });
  router.get('/datasets/:id', async (req, res) => {
    const record = await find(res, paramOf(req, 'id'));
    reply(res, record.ok ? ok(datasetView(record.value)) : record);
  });
  router.get('/datasets/:id/content', async (req, res) => {
    const query = validate(datasetContentQuerySchema, queryOf(req), 'dataset content query');
    if (!query.ok) return problem(res, query);
    const record = await find(res, paramOf(req, 'id'));
    if (!record.ok) return problem(res, record);
    const opened = await datasets.open(record.value.id, query.value.purpose === undefined ? {} : { purpose: query.value.purpose });
    if (!opened.ok) return problem(res, opened);
    await streamAttachment(res, opened.value);
  });
  router.post('/datasets/:id/shred', admin, async (req, res) => {
    const shredded = await datasets.shred(paramOf(req, 'id'), actorOf(res));
    reply(res, shredded.ok ? ok(datasetView(shredded.value)) : shredded);
  });
  router.get('/outbound-transfers/:id', admin, async (req, res) => {
    const id = paramOf(req, 'id');
    const record = await datasets.outbound(id);
    reply(res, record === undefined ? fail('SOV_DATAPLANE_TRANSFER_NOT_FOUND', `No outbound transfer ${id}`, { id }) : ok(outboundView(record)));
  });
  return router;
}
