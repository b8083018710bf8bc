/**
 * The provider's calls into another connector's data plane give up on a peer that stalls or
 * answers without end (a member connector misbehaving), instead of holding a push slot or
 * growing memory for ever.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { uuidGenerator } from '../../../src/clock/index.js';
import { createDataPlaneRemote } from '../../../src/dataplane/index.js';
import { MAX_ANSWER_BYTES } from '../../../src/dataplane/http/bounded-answer.js';
import { uploadStream } from '../../../src/dataplane/http/stream-upload.js';
import type { Result } from '../../../src/errors/index.js';
import { makeParty } from '../support.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => {
    server.close(resolve);
    server.closeAllConnections();
  })));
});

async function serve(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/sink`;
}

/** Answers 200 and writes spaces for as long as the caller reads. */
const endlessAnswer: RequestListener = (req, res) => {
  req.resume();
  req.once('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const piece = Buffer.alloc(16 * 1024, 0x20);
    const more = () => {
      while (!res.destroyed && res.write(piece));
      if (!res.destroyed) res.once('drain', more);
    };
    more();
  });
};

/** `size` bytes in 64 KiB pieces (the same buffer again: no memory grows here). */
async function* bytes(size: number): AsyncGenerator<Uint8Array> {
  const piece = Buffer.alloc(64 * 1024, 7);
  for (let sent = 0; sent < size; sent += piece.length) yield piece;
}

async function remote() {
  const party = await makeParty('remote-answers');
  return createDataPlaneRemote({ did: party.did, kms: party.kms, clock: party.clock, ids: uuidGenerator, stallTimeoutMs: 300 });
}

const refusal = (result: Result<unknown>) => (result.ok ? 'answered' : `${result.code}: ${result.detail}`);

describe('an upload to a peer that stops reading', () => {
  it('is given up once no byte moved for the stall timeout', async () => {
    // The callee takes the request and never reads its body: the socket's buffers fill, then nothing moves.
    const url = await serve((req) => req.pause());
    await expect(uploadStream(url, { headers: {}, body: bytes(Number.MAX_SAFE_INTEGER), answerTimeoutMs: 60_000, stallTimeoutMs: 300 })).rejects.toThrow(/stalled/);
  });

  it('is a transient failure of the push (it is asked again), not a hang', async () => {
    const url = await serve((req) => req.pause());
    const sent = await (await remote()).postStream(url, 'did:web:consumer.example', {}, async () => ({ ok: true, value: bytes(32 * 1024 * 1024) }));
    expect(refusal(sent)).toMatch(/^SOV_UPSTREAM_UNAVAILABLE: .*stalled/);
  });
});

describe('an answer without end', () => {
  it('to an upload is cut at the size of a data-plane reply', async () => {
    const url = await serve(endlessAnswer);
    await expect(uploadStream(url, { headers: {}, body: bytes(100_000), answerTimeoutMs: 60_000, stallTimeoutMs: 60_000 })).rejects.toThrow(`exceeds ${MAX_ANSWER_BYTES} bytes`);
  });

  it('to a JSON call is refused once it exceeds the size of a data-plane reply', async () => {
    const url = await serve(endlessAnswer);
    expect(refusal(await (await remote()).getJson(url, 'did:web:consumer.example', {}))).toBe(`SOV_DATAPLANE_PEER_REFUSED: ${url} answered more than ${MAX_ANSWER_BYTES} bytes`);
  });

  it('an answer within the bound is read whole', async () => {
    const document = { padding: 'x'.repeat(MAX_ANSWER_BYTES - 100) };
    const url = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(document)));
    const answer = await (await remote()).getJson(url, 'did:web:consumer.example', {});
    expect(answer.ok && answer.value).toEqual(document);
  });
});
