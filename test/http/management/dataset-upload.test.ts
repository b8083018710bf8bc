/**
 * `POST /api/datasets?offering=ID` (issue 7): an admin uploads a file as a streamed
 * octet-stream body with its Content-Length and gets a new dataset version, encrypted once and
 * readable back; refusals are problem+json from the catalogue (unknown offering, researcher
 * token, no length, wrong media type, over the limit); a body that ends short or a client
 * that disconnects mid-upload leaves no dataset, no ciphertext and no live data key.
 */
import { readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector } from '../../../src/connector/index.js';
import { unwrap } from '../../../src/errors/index.js';
import { DEFAULT_DATASET_UPLOAD_BYTES } from '../../../src/http/management/index.js';
import { testConnector } from '../../support/partners.js';

const ADMIN = 'admin-token-for-uk-tests';
const RESEARCHER = 'researcher-token-for-uk-tests';

let uk: Connector;
let offeringId: string;

function upload(body: Uint8Array | ReadableStream<Uint8Array>, options: { token?: string; offering?: string; type?: string; length?: number | null } = {}) {
  const headers: Record<string, string> = { authorization: `Bearer ${options.token ?? ADMIN}`, 'content-type': options.type ?? 'application/octet-stream' };
  const length = options.length === undefined ? (body instanceof Uint8Array ? body.length : null) : options.length;
  if (length !== null) headers['content-length'] = String(length);
  const query = options.offering === '' ? '' : `?offering=${encodeURIComponent(options.offering ?? offeringId)}`;
  return fetch(`${uk.config.publicBaseUrl}/api/datasets${query}`, { method: 'POST', headers, body, duplex: 'half' } as RequestInit);
}

/**
 * Sends the request head declaring `declared` bytes, then `sent` bytes, then ends the
 * connection: `end` half-closes (the body ends short), `destroy` resets (the client is gone).
 * Resolves with whatever the server answered, once the connection is closed.
 */
function cutUpload(declared: number, sent: number, how: 'end' | 'destroy'): Promise<string> {
  const url = new URL(uk.config.publicBaseUrl);
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname);
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(answer));
    const head = [
      `POST /api/datasets?offering=${encodeURIComponent(offeringId)} HTTP/1.1`,
      `Host: ${url.host}`,
      `Authorization: Bearer ${ADMIN}`,
      'Content-Type: application/octet-stream',
      `Content-Length: ${declared}`,
    ];
    socket.write(`${head.join('\r\n')}\r\n\r\n`);
    socket.write(Buffer.alloc(sent, 7), () => (how === 'end' ? socket.end() : socket.destroy()));
  });
}

const dataKeys = (status: 'active' | 'destroyed') => uk.kms.listKeys().filter((key) => key.kind === 'data' && key.status === status).length;
const ciphertext = (folder: 'objects' | 'pending') => readdirSync(join(uk.config.dataDir, 'ciphertext', folder));

/** Waits (polling a condition, no timing assumed) until the connector discarded one more upload: its data key is destroyed last. */
async function discarded(destroyedBefore: number): Promise<void> {
  for (let round = 0; round < 1000 && dataKeys('destroyed') === destroyedBefore; round += 1) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(dataKeys('destroyed')).toBe(destroyedBefore + 1);
}

beforeAll(async () => {
  uk = await testConnector('uk');
  unwrap(await uk.start());
  const offering = unwrap(
    await uk.dsp.offerings.create({
      title: 'Bed occupancy',
      policy: { template: 'coalition-open', params: {} },
      classification: 'OFFICIAL',
      personalData: false,
      dataSource: { type: 'file', reference: 'data/beds.csv' },
    }),
  );
  offeringId = offering.id;
});
afterAll(async () => uk.stop());

describe('POST /api/datasets (streamed upload)', () => {
  it('encrypts the body once into a new version of the offering, audited with the admin as actor', async () => {
    const csv = Buffer.from('ward,beds\nA,12\nB,30\n'.repeat(5000));
    const first = await upload(csv);
    expect(first.status).toBe(201);
    const dataset = (await first.json()) as { id: string; version: string; plaintextLength: number; origin: string; keyStored: boolean };
    expect(dataset).toMatchObject({ offeringId, version: '1', origin: 'local', plaintextLength: csv.length, keyStored: true, status: 'ready' });
    expect(first.headers.get('location')).toBe(`/api/datasets/${encodeURIComponent(dataset.id)}`);
    const content = await fetch(`${uk.config.publicBaseUrl}/api/datasets/${encodeURIComponent(dataset.id)}/content`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(Buffer.from(await content.arrayBuffer()).equals(csv)).toBe(true);

    // Streamed from a ReadableStream (never one buffer), the next version.
    const second = await upload(Readable.toWeb(Readable.from([csv.subarray(0, 1000), csv.subarray(1000)])) as ReadableStream<Uint8Array>, { length: csv.length });
    expect(((await second.json()) as { version: string }).version).toBe('2');
    const added = (await uk.audit.tail(50)).filter((entry) => entry.type === 'dataset.added');
    expect(added.map((entry) => entry.actor)).toEqual([expect.stringMatching(/^admin:admin-[0-9a-f]{12}$/), expect.stringMatching(/^admin:admin-[0-9a-f]{12}$/)]);
  });

  it('refuses an unknown offering, a researcher, no token, a bad query, another media type, no length and an over-limit length', async () => {
    const bytes = Buffer.from('a,b\n1,2\n');
    const refusal = async (response: Response) => ({ status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as { code: string } });
    expect(await refusal(await upload(bytes, { offering: 'https://example.org/no-such-offering' }))).toMatchObject({ status: 404, type: expect.stringMatching(/^application\/problem\+json/) as unknown, body: { code: 'SOV_OFFERING_NOT_FOUND' } });
    expect(await refusal(await upload(bytes, { token: RESEARCHER }))).toMatchObject({ status: 403, body: { code: 'SOV_FORBIDDEN' } });
    expect(await refusal(await upload(bytes, { token: 'not-a-valid-token-at-all' }))).toMatchObject({ status: 401, body: { code: 'SOV_UNAUTHORIZED' } });
    expect(await refusal(await upload(bytes, { offering: '' }))).toMatchObject({ status: 400, body: { code: 'SOV_VALIDATION_FAILED' } });
    expect(await refusal(await upload(bytes, { type: 'text/csv' }))).toMatchObject({ status: 415, body: { code: 'SOV_UNSUPPORTED_MEDIA_TYPE' } });
    expect(await refusal(await upload(bytes, { type: 'application/json' }))).toMatchObject({ status: 415, body: { code: 'SOV_UNSUPPORTED_MEDIA_TYPE' } });
    const chunked = Readable.toWeb(Readable.from([bytes])) as ReadableStream<Uint8Array>;
    expect(await refusal(await upload(chunked, { length: null }))).toMatchObject({ status: 411, body: { code: 'SOV_HTTP_LENGTH_REQUIRED' } });
    // Declared over the limit: refused on the head alone, the body never sent.
    const answer = await cutUpload(DEFAULT_DATASET_UPLOAD_BYTES + 1, 0, 'end');
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toContain('SOV_PAYLOAD_TOO_LARGE');
    expect((await uk.dataPlane.datasets.list()).filter((d) => d.offeringId !== offeringId)).toEqual([]);
  });

  it('leaves no dataset, ciphertext or data key when the body ends short or the client disconnects', async () => {
    const before = { datasets: (await uk.dataPlane.datasets.list()).length, objects: ciphertext('objects'), keys: dataKeys('active') };
    for (const how of ['end', 'destroy'] as const) {
      // Several chunks in: the data key exists and ciphertext is pending when the cut comes.
      const answer = await cutUpload(3 * 1024 * 1024, 1024 * 1024 + 17, how);
      // Half-closed, Node's HTTP parser itself answers 400 for the incomplete request; reset, nobody hears anything.
      expect(answer).not.toMatch(/^HTTP\/1\.1 2/);
      await discarded(dataKeys('destroyed'));
      expect((await uk.dataPlane.datasets.list()).length).toBe(before.datasets);
      expect(ciphertext('objects')).toEqual(before.objects);
      expect(ciphertext('pending')).toEqual([]);
      expect(dataKeys('active')).toBe(before.keys);
    }
    // The connector still takes uploads afterwards.
    expect((await upload(Buffer.from('x\n1\n'))).status).toBe(201);
  });
});
