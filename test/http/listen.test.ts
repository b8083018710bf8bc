import { request as httpRequest } from 'node:http';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { createHttpApp, listen, streamedBody } from '../../src/http/index.js';
import { serve, silentLogger } from './harness.js';

function appWithGate(): { app: ReturnType<typeof createHttpApp>; entered: Promise<void>; release: () => void } {
  let release!: () => void;
  let entered!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const enteredPromise = new Promise<void>((resolve) => (entered = resolve));
  const router = express.Router();
  router.get('/slow', async (_req, res) => {
    entered();
    await gate;
    res.json({ finished: true });
  });
  const app = createHttpApp({ logger: silentLogger, limits: { managementBodyBytes: 4096, dspBodyBytes: 1024 }, routes: [router] });
  return { app, entered: enteredPromise, release };
}

describe('listen', () => {
  it('binds port 0 to a free port and reports the address', async () => {
    const { app } = appWithGate();
    const result = await listen(app, { host: '127.0.0.1', port: 0 });
    if (!result.ok) throw new Error(result.detail);
    expect(result.value.port).toBeGreaterThan(0);
    expect(result.value.url).toBe(`http://127.0.0.1:${result.value.port}`);
    await result.value.close();
  });

  it('returns a failure, not a crash, when the port is taken', async () => {
    const base = await serve(appWithGate().app);
    const port = Number(new URL(base).port);
    const second = await listen(appWithGate().app, { host: '127.0.0.1', port });
    expect(second).toMatchObject({ ok: false, code: 'SOV_HTTP_LISTEN_FAILED', detail: `cannot listen on 127.0.0.1:${port}: the address is already in use` });
  });

  it('lets a request in flight finish during close, then refuses new connections', async () => {
    const { app, entered, release } = appWithGate();
    const result = await listen(app, { host: '127.0.0.1', port: 0 });
    if (!result.ok) throw new Error(result.detail);
    const server = result.value;
    const inFlight = fetch(`${server.url}/slow`);
    await entered;
    const closed = server.close();
    release();
    const response = await inFlight;
    expect(await response.json()).toEqual({ finished: true });
    // The keep-alive client is told to let go instead of holding the server open until its idle timeout.
    expect(response.headers.get('connection')).toBe('close');
    await closed;
    await expect(fetch(`${server.url}/slow`)).rejects.toThrow();
    await server.close(); // idempotent
  });
});

describe('request body deadline', () => {
  /** A route that reads its body; `/streamed` exempts it from the deadline. */
  function bodyApp() {
    const router = express.Router();
    const readAll = (req: express.Request, res: express.Response) => {
      let bytes = 0;
      req.on('data', (chunk: Buffer) => (bytes += chunk.length));
      req.on('end', () => res.json({ bytes }));
    };
    router.post('/whole', readAll);
    router.post('/refused', (_req, res) => void res.status(401).json({ refused: true }));
    router.post('/streamed', (req, res) => {
      streamedBody(req);
      readAll(req, res);
    });
    return createHttpApp({ logger: silentLogger, limits: { managementBodyBytes: 4096, dspBodyBytes: 1024 }, routes: [router] });
  }

  /** Sends `pieces` bytes one every `everyMs`, declared up front, and returns the status line and body. */
  function drip(url: string, pieces: number, everyMs: number): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const request = httpRequest(url, { method: 'POST', headers: { 'content-length': String(pieces), 'content-type': 'application/octet-stream' } }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      });
      request.on('error', reject);
      let sent = 0;
      const timer = setInterval(() => {
        if (request.destroyed) return clearInterval(timer);
        request.write('x');
        sent += 1;
        if (sent === pieces) {
          clearInterval(timer);
          request.end();
        }
      }, everyMs);
    });
  }

  async function started(options: { bodyDeadlineMs: number; streamIdleMs: number }) {
    const result = await listen(bodyApp(), { host: '127.0.0.1', port: 0, ...options });
    if (!result.ok) throw new Error(result.detail);
    return result.value;
  }

  it('answers 408 problem+json to a body that does not arrive whole within the deadline', async () => {
    const server = await started({ bodyDeadlineMs: 300, streamIdleMs: 5_000 });
    const answer = await drip(`${server.url}/whole`, 40, 50);
    expect(answer.status).toBe(408);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 408, code: 'SOV_HTTP_REQUEST_TIMEOUT' });
    await server.close({ graceMs: 100 });
  });

  it('hangs up on a body still dripping after an early refusal once the deadline passes', async () => {
    const server = await started({ bodyDeadlineMs: 300, streamIdleMs: 5_000 });
    const socketClosed = new Promise<void>((resolve) => {
      const request = httpRequest(`${server.url}/refused`, { method: 'POST', headers: { 'content-length': '1000' } });
      request.on('error', () => resolve());
      request.on('close', () => resolve());
      request.write('x');
    });
    await socketClosed;
    await server.close({ graceMs: 100 });
  });

  it('lets a streamed body take longer than the deadline while it keeps moving', async () => {
    const server = await started({ bodyDeadlineMs: 300, streamIdleMs: 5_000 });
    const answer = await drip(`${server.url}/streamed`, 40, 50);
    expect(answer).toEqual({ status: 200, body: JSON.stringify({ bytes: 40 }) });
    await server.close({ graceMs: 100 });
  });

  it('cuts a streamed body that stalls longer than the idle period', async () => {
    const server = await started({ bodyDeadlineMs: 60_000, streamIdleMs: 150 });
    await expect(drip(`${server.url}/streamed`, 3, 1_000)).rejects.toThrow(/socket hang up|ECONNRESET/);
    await server.close({ graceMs: 100 });
  });
});
