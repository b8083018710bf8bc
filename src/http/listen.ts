/**
 * Starts an HTTP server and stops it gracefully: `close()` stops accepting, lets requests in
 * flight finish (their responses say `Connection: close`, so keep-alive clients let go at once),
 * drops idle keep-alive connections, and cuts whatever is left after a grace period. Port 0
 * asks the OS for a free port (tests); the bound address is returned.
 */
import { createServer, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fail, ok, type Result } from '../errors/index.js';
import type { HttpApp } from './app.js';

export interface RunningServer {
  readonly host: string;
  readonly port: number;
  /** `http://host:port`, with IPv6 hosts in brackets. */
  readonly url: string;
  /** Resolves once every connection is closed; idempotent. Default grace period 10 s. */
  close(options?: { graceMs?: number }): Promise<void>;
}

/** Keeps track of responses in flight so closing can ask each connection to end after its response. */
function drainer(server: Server): { drain: () => void } {
  const active = new Set<ServerResponse>();
  let draining = false;
  const endAfter = (res: ServerResponse): void => {
    if (!res.headersSent) res.setHeader('Connection', 'close');
    else res.once('finish', () => setImmediate(() => server.closeIdleConnections()));
  };
  server.on('request', (_req, res: ServerResponse) => {
    active.add(res);
    res.once('close', () => active.delete(res));
    if (draining) endAfter(res);
  });
  return {
    drain: () => {
      draining = true;
      active.forEach(endAfter);
      server.closeIdleConnections();
    },
  };
}

function closer(server: Server, drain: () => void): RunningServer['close'] {
  let closing: Promise<void> | undefined;
  return ({ graceMs = 10_000 } = {}) =>
    (closing ??= new Promise<void>((done, failed) => {
      const cutOff = setTimeout(() => server.closeAllConnections(), graceMs);
      cutOff.unref();
      server.close((error) => {
        clearTimeout(cutOff);
        if (error) failed(error);
        else done();
      });
      drain();
    }));
}

export function listen(app: HttpApp | RequestListener, options: { host: string; port: number }): Promise<Result<RunningServer>> {
  const server = createServer(typeof app === 'function' ? app : app.express);
  const { drain } = drainer(server);
  return new Promise((resolve) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'EADDRINUSE' ? 'the address is already in use' : error.message;
      resolve(fail('SOV_HTTP_LISTEN_FAILED', `cannot listen on ${options.host}:${options.port}: ${why}`, { host: options.host, port: options.port }));
    });
    server.listen(options.port, options.host, () => {
      const address = server.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve(ok({ host: address.address, port: address.port, url: `http://${host}:${address.port}`, close: closer(server, drain) }));
    });
  });
}
