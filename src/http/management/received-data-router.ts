/**
 * What a consumer received under a transfer (issue 8 "the consumer receives the anonymised
 * data and the report"; issue 7 pull), by OUR transfer id, for the admin and for the
 * researcher who started the transfer (`ProcessOwners`):
 * - `POST /transfers/:id/receive`: pull a STARTED transfer now (verified while stored, key
 *   kept as the offer says, signed receipt, then COMPLETED); a transfer already received
 *   answers the dataset it delivered.
 * - `GET /transfers/:id/report`: the signed anonymisation report that travelled with the data,
 *   as verified on arrival, with its digest (the one both audit trails name).
 * - `GET /transfers/:id/data`: the plaintext, decrypted and checked as it streams (container
 *   digest and signature, and the report's plaintext digest). A failure after the first byte
 *   cuts the connection, so a client never mistakes a truncated or unverified body for a whole one.
 */
import { Router, type Response } from 'express';
import type { DatasetRecord } from '../../dataplane/index.js';
import { fail, ok, type Result } from '../../errors/index.js';
import { problem } from '../problem.js';
import { paramOf, reply, streamAttachment } from './exchange.js';
import type { ProcessOwners, ReceivedData } from './ports.js';
import { maySee } from './process-owners.js';

export interface ReceivedDataRouterOptions {
  received: ReceivedData;
  owners: ProcessOwners;
}

/** The dataset record as the API shows it: no key ids, the report by digest (fetched on its own route). */
export function receivedDatasetView(record: DatasetRecord) {
  const { id, offeringId, version, containerDigest, size, plaintextLength, signer, keyRelease, receivedFrom, status, createdAt, transformReport } = record;
  const report = transformReport === undefined ? {} : { anonymisationReport: { digest: transformReport.digest, plaintextSha256: transformReport.plaintextSha256 } };
  return { id, offeringId, version, containerDigest, size, plaintextLength, signer, keyRelease: keyRelease ?? 'handover', receivedFrom, status, createdAt, ...report };
}

export function receivedDataRouter(options: ReceivedDataRouterOptions): Router {
  const { received, owners } = options;
  const router = Router();

  /** The transfer, if the caller may see it (admins: all; researchers: the ones they started). */
  async function visible(res: Response, id: string): Promise<Result<string>> {
    if (await maySee(owners, res, 'transfer', id)) return ok(id);
    return fail('SOV_TRANSFER_NOT_FOUND', `No transfer process ${id}`, { id });
  }

  async function receivedDataset(res: Response, id: string): Promise<Result<DatasetRecord>> {
    const allowed = await visible(res, id);
    if (!allowed.ok) return allowed;
    const record = await received.dataset(id);
    // Only what a transfer delivered: local datasets are not reachable under a transfer id.
    return record?.origin !== 'received' ? fail('SOV_DATAPLANE_DATASET_NOT_FOUND', `transfer ${id} has delivered no dataset (yet): receive it first`) : ok(record);
  }

  router.post('/transfers/:id/receive', async (req, res) => {
    const id = await visible(res, paramOf(req, 'id'));
    if (!id.ok) return problem(res, id);
    const already = await received.dataset(id.value);
    const record = already?.origin === 'received' ? ok(already) : await received.receive(id.value);
    reply(res, record.ok ? ok(receivedDatasetView(record.value)) : record);
  });

  router.get('/transfers/:id/report', async (req, res) => {
    const record = await receivedDataset(res, paramOf(req, 'id'));
    if (!record.ok) return problem(res, record);
    const report = record.value.transformReport;
    if (report === undefined) return problem(res, fail('SOV_ANON_REPORT_NOT_FOUND', `the data of transfer ${record.value.id} came as stored: no duty transformed it, so there is no report`));
    reply(res, ok({ transferId: record.value.id, datasetId: record.value.offeringId, digest: report.digest, plaintextSha256: report.plaintextSha256, report: report.signed }));
  });

  router.get('/transfers/:id/data', async (req, res) => {
    const record = await receivedDataset(res, paramOf(req, 'id'));
    if (!record.ok) return problem(res, record);
    const opened = await received.open(record.value.id);
    if (!opened.ok) return problem(res, opened);
    await streamAttachment(res, opened.value);
  });
  return router;
}
