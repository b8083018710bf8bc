import express from 'express';
import { describe, expect, it } from 'vitest';
import { createHttpApp, listen } from '../../src/http/index.js';
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
