/**
 * The keep-alive transport of outbound connector calls (src/http/dsp/peer-fetch.ts) against a
 * loopback server: what the connector client relies on from fetch — method, headers and body
 * sent as given, status/headers/body back, redirects returned not followed, the abort signal,
 * the size cap — and that consecutive calls reuse one connection.
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

describe('peer transport', () => {
  it('sends method, headers and body as given and answers like fetch, over one kept-alive connection', async () => {
    const transport = createPeerTransport();
    const before = connections.size;
    for (let i = 0; i < 3; i += 1) {
      const response = await transport.fetch(`${base}/echo`, { method: 'POST', headers: { authorization: 'Bearer t', 'content-type': 'application/json' }, body: '{"a":1}' });
      expect(response.status).toBe(201);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(response.headers.get('x-multi')).toBe('a, b');
      expect(await response.json()).toEqual({ method: 'POST', authorization: 'Bearer t', contentType: 'application/json', body: '{"a":1}' });
    }
    expect(connections.size - before).toBe(1);
    transport.close();
  });

  it('returns a redirect instead of following it, and a 204 without a body', async () => {
    const transport = createPeerTransport();
    const moved = await transport.fetch(`${base}/moved`, { method: 'GET' });
    expect([moved.status, moved.headers.get('location')]).toEqual([302, '/echo']);
    const empty = await transport.fetch(`${base}/empty`, { method: 'POST', body: '{}' });
    expect([empty.status, empty.body]).toEqual([204, null]);
    transport.close();
  });

  it('fails past the size cap and when the signal aborts', async () => {
    const transport = createPeerTransport({ maxResponseBytes: 1024 });
    await expect(transport.fetch(`${base}/large`, { method: 'GET' })).rejects.toThrow(/exceeds 1024 bytes/);
    const controller = new AbortController();
    const slow = transport.fetch(`${base}/slow`, { method: 'GET', signal: controller.signal });
    controller.abort();
    await expect(slow).rejects.toThrow(/abort/i);
    await expect(transport.fetch('ftp://127.0.0.1/x', { method: 'GET' })).rejects.toThrow(/unsupported protocol/);
    transport.close();
  });
});
