/**
 * `POST /api/datasets?offering=ID` (admin; issue 7 "Datasets"): a new version of an offering
 * from the plaintext sent as the request body (`application/octet-stream`). The body is
 * streamed straight into the data plane's one-pass encryption: never buffered whole, never
 * written in clear. `Content-Length` is required — it is checked against this route's own size
 * limit (not the JSON limit) before a byte is read, and becomes the container's declared
 * plaintext length, so a body that ends short is refused. A client that disconnects mid-upload
 * leaves no dataset: the data plane deletes the partial container and destroys its data key.
 * A refusal is answered before the body is read; the connection stays open while Node reads
 * and drops the rest, because closing it under a client still sending can reset the
 * connection before the client has read the refusal (HTTP clients stop sending once they
 * have the answer). Mounted ahead of the JSON body parser (`mountManagementApi`'s `streamRouters`).
 */
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { DatasetRecord } from '../../dataplane/index.js';
import { fail, ok, type Result } from '../../errors/index.js';
import { requireRole } from '../auth.js';
import { streamedBody } from '../listen.js';
import { problem } from '../problem.js';
import { datasetView, type DatasetCommands } from './datasets-router.js';
import { actorOf, queryOf, reply, validate } from './exchange.js';

/** Default upload limit: generous for a dataset, still a bound on what one request may make us store. */
export const DEFAULT_DATASET_UPLOAD_BYTES = 64 * 1024 ** 3;

const UPLOAD_MEDIA_TYPE = 'application/octet-stream';

export const datasetUploadQuerySchema = z.strictObject({
  offering: z.string().min(1).max(2000).describe('The offering (its dataset IRI) the uploaded file becomes a new version of'),
});

/** The declared body length, within `maxBytes`; a chunked body (no length) is refused. */
function declaredLength(req: Request, maxBytes: number): Result<number> {
  const header = req.headers['content-length'];
  if (req.headers['transfer-encoding'] !== undefined || header === undefined) {
    return fail('SOV_HTTP_LENGTH_REQUIRED', 'send the file with a Content-Length header (the plaintext length in bytes), not chunked');
  }
  const length = Number(header);
  if (length > maxBytes) return fail('SOV_PAYLOAD_TOO_LARGE', `the upload of ${length} bytes exceeds the limit of ${maxBytes} bytes`, { limitBytes: maxBytes });
  return ok(length);
}

function mediaTypeOf(req: Request): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

export function datasetUploadRouter(options: { datasets: Pick<DatasetCommands, 'add'>; maxBytes?: number }): Router {
  const maxBytes = options.maxBytes ?? DEFAULT_DATASET_UPLOAD_BYTES;
  const router = Router();
  router.post('/datasets', requireRole('admin'), async (req, res) => {
    const query = validate(datasetUploadQuerySchema, queryOf(req), 'dataset upload query');
    if (!query.ok) return problem(res, query);
    if (mediaTypeOf(req) !== UPLOAD_MEDIA_TYPE) {
      return problem(res, fail('SOV_UNSUPPORTED_MEDIA_TYPE', `send the file as ${UPLOAD_MEDIA_TYPE}, not ${req.headers['content-type'] ?? 'without a Content-Type'}`));
    }
    const length = declaredLength(req, maxBytes);
    if (!length.ok) return problem(res, length);
    // Any size may take longer than the whole-request deadline; it only has to keep moving.
    streamedBody(req);
    let added: Result<DatasetRecord>;
    try {
      added = await options.datasets.add({ source: req, offeringId: query.value.offering, plaintextLength: length.value, actor: actorOf(res) });
    } catch (error) {
      // The client went away mid-upload: the data plane already discarded the partial dataset; nobody is left to answer.
      if (!req.complete) return void res.destroy();
      throw error;
    }
    if (added.ok) res.location(`/api/datasets/${encodeURIComponent(added.value.id)}`);
    reply(res, added.ok ? ok(datasetView(added.value)) : added, 201);
  });
  return router;
}
