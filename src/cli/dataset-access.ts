/**
 * The datasets of one connector as `sovc dataset` uses them, two ways with one shape: through
 * a running connector's management API (`POST /api/datasets?offering=` streams the file,
 * `GET /api/datasets/:id/content` streams the verified plaintext, `POST …/shred`, `GET
 * /api/datasets`), or on the connector opened in this process. Both answer the API's dataset
 * view, so the commands print the same table and JSON either way.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import type { Connector } from '../connector/index.js';
import { DomainError, fail, unwrap } from '../errors/index.js';
import { datasetView, type DatasetView } from '../http/management/index.js';
import { fetchConnector, locate, managementClient, refusalOf, segment, type CliIo, type ManagementTarget } from './management-client.js';

/** A dataset's plaintext as it is decrypted and verified; the iteration throws if it does not verify. */
export interface OpenedDataset {
  plaintextLength: number;
  content: AsyncIterable<Uint8Array>;
}

export interface DatasetAccess {
  /** Encrypts FILE once into a new version of offering `offeringId`. */
  add(file: string, offeringId: string): Promise<DatasetView>;
  open(id: string, purpose?: string): Promise<OpenedDataset>;
  shred(id: string): Promise<DatasetView>;
  list(): Promise<DatasetView[]>;
}

/** FILE's length, declared before its first byte is sent (a pipe or device has none to declare). */
async function plaintextSize(file: string): Promise<number> {
  const stats = await stat(file);
  if (!stats.isFile()) throw new DomainError(fail('SOV_BAD_REQUEST', `${file} is not a regular file: a dataset's length is declared before it is encrypted`));
  return stats.size;
}

/** The audit actor of changes made by `sovc` in this process. */
const CLI_ACTOR = 'admin:cli';

export function datasetsThroughApi(target: ManagementTarget, io: CliIo): DatasetAccess {
  const request = managementClient(target, io);
  const { base, token } = locate(target, io);
  const root = base.replace(/\/+$/, '');
  const authorization = `Bearer ${token}`;
  return {
    async add(file, offeringId) {
      const size = await plaintextSize(file);
      // Streamed as it is read; Content-Length is the plaintext length the container will declare.
      const response = await fetchConnector(root, `/datasets?offering=${encodeURIComponent(offeringId)}`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/octet-stream', 'content-length': String(size) },
        body: Readable.toWeb(createReadStream(file)) as unknown as BodyInit,
        duplex: 'half',
        // Following a redirect would need the body again, so fetch would keep a copy of all of it.
        redirect: 'error',
      } as RequestInit);
      if (!response.ok) throw await refusalOf(response);
      return (await response.json()) as DatasetView;
    },
    async open(id, purpose) {
      const record = await request<DatasetView>('GET', `/datasets/${segment(id)}`);
      const query = purpose === undefined ? '' : `?purpose=${encodeURIComponent(purpose)}`;
      const response = await fetchConnector(root, `/datasets/${segment(id)}/content${query}`, { headers: { authorization } });
      if (!response.ok || response.body === null) throw await refusalOf(response);
      return { plaintextLength: record.plaintextLength, content: Readable.fromWeb(response.body as ReadableStream<Uint8Array>) };
    },
    shred: (id) => request<DatasetView>('POST', `/datasets/${segment(id)}/shred`),
    list: async () => (await request<{ items: DatasetView[] }>('GET', '/datasets')).items,
  };
}

export function datasetsHere(connector: Connector): DatasetAccess {
  const { dataPlane } = connector;
  return {
    async add(file, offeringId) {
      if ((await connector.dsp.offerings.get(offeringId)) === undefined) throw new DomainError(fail('SOV_OFFERING_NOT_FOUND', `No offering ${offeringId}`));
      const size = await plaintextSize(file);
      return datasetView(unwrap(await dataPlane.addDataset({ source: createReadStream(file), offeringId, plaintextLength: size, actor: CLI_ACTOR })));
    },
    async open(id, purpose) {
      const record = await dataPlane.datasets.get(id);
      if (record === undefined) throw new DomainError(fail('SOV_DATAPLANE_DATASET_NOT_FOUND', `No dataset ${id}`));
      const content = unwrap(await dataPlane.openDataset(id, purpose === undefined ? {} : { purpose }));
      return { plaintextLength: record.plaintextLength, content };
    },
    shred: async (id) => datasetView(unwrap(await dataPlane.shredDataset(id, CLI_ACTOR))),
    list: async () => (await dataPlane.datasets.list()).map(datasetView),
  };
}
