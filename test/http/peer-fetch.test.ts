/**
 * The keep-alive transport of outbound connector calls (src/http/dsp/peer-fetch.ts) against a
 * loopback server: what the connector client relies on from its transport — method, headers
 * and body sent as given, status/headers/body back, redirects returned not followed, the
 * timeout, the size cap — and that consecutive calls reuse one connection.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPeerTransport } from '../../src/http/dsp/index.js';

let server: Server;
let base: string;
const connections = new Set<unknown>();

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await bodyOf(req);
  if (req.url === '/echo') {
    res.writeHead(201, { 'content-type': 'application/json', 'x-multi': ['a', 'b'] });
    res.end(JSON.stringify({ method: req.method, authorization: req.headers.authorization, contentType: req.headers['content-type'], body }));
  } else if (req.url === '/moved') {
    res.writeHead(302, { location: '/echo' }).end();
  } else if (req.url === '/empty') {
    res.writeHead(204).end();
  } else if (req.url === '/large') {
    res.writeHead(200).end('x'.repeat(2048));
  } else if (req.url === '/slow') {
    setTimeout(() => res.writeHead(200).end('{}'), 2_000);
  }
}

beforeAll(async () => {
  server = createServer((req, res) => void handle(req, res));
  server.on('connection', (socket) => connections.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const call = { headers: {}, timeoutMs: 5_000, maxResponseBytes: 4096 };
const text = (body: Uint8Array): string => Buffer.from(body).toString('utf8');

describe('peer transport', () => {
  it('sends method, headers and body as given and answers status, headers and body, over one kept-alive connection', async () => {
    const transport = createPeerTransport();
    const before = connections.size;
    for (let i = 0; i < 3; i += 1) {
      const headers = { authorization: 'Bearer t', 'content-type': 'application/json' };
      const answer = await transport.send({ ...call, method: 'POST', url: `${base}/echo`, headers, body: '{"a":1}' });
      expect(answer.status).toBe(201);
      expect(answer.headers.get('Content-Type')).toBe('application/json');
      expect(answer.headers.get('x-multi')).toBe('a, b');
      expect(answer.headers.get('x-absent')).toBeNull();
      expect(JSON.parse(text(answer.body))).toEqual({ method: 'POST', authorization: 'Bearer t', contentType: 'application/json', body: '{"a":1}' });
    }
    expect(connections.size - before).toBe(1);
    transport.close();
  });

  it('returns a redirect instead of following it, and a 204 without a body', async () => {
    const transport = createPeerTransport();
    const moved = await transport.send({ ...call, method: 'GET', url: `${base}/moved` });
    expect([moved.status, moved.headers.get('location')]).toEqual([302, '/echo']);
    const empty = await transport.send({ ...call, method: 'POST', url: `${base}/empty`, body: '{}' });
    expect([empty.status, empty.body.byteLength]).toEqual([204, 0]);
    transport.close();
  });

  it('fails past the size cap, when the timeout passes, and for another protocol', async () => {
    const transport = createPeerTransport();
    await expect(transport.send({ ...call, method: 'GET', url: `${base}/large`, maxResponseBytes: 1024 })).rejects.toThrow(/exceeds 1024 bytes/);
    await expect(transport.send({ ...call, method: 'GET', url: `${base}/slow`, timeoutMs: 50 })).rejects.toThrow(/no answer within 50 ms/);
    await expect(transport.send({ ...call, method: 'GET', url: 'ftp://127.0.0.1/x' })).rejects.toThrow(/unsupported protocol/);
    transport.close();
  });
});
