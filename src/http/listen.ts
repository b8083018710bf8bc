/**
 * Starts an HTTP server and stops it gracefully: `close()` stops accepting, lets requests in
 * flight finish (their responses say `Connection: close`, so keep-alive clients let go at once),
 * drops idle keep-alive connections, and cuts whatever is left after a grace period. Port 0
 * asks the OS for a free port (tests); the bound address is returned.
 *
 * Request bodies must arrive whole within a deadline (5 minutes, Node's own `requestTimeout`,
 * against clients that drip a body to hold connections), except on routes that take a streamed
 * body of any size (a pushed container, a dataset upload): those call `streamedBody(req)` and
 * their connection then only has to stay active. Node's `requestTimeout` cannot be lifted for
 * one route, so it is off and this deadline takes its place.
 */
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Response } from 'express';
import { fail, ok, type Result } from '../errors/index.js';
import type { HttpApp } from './app.js';
import { renderFailure } from './failure-shape.js';
import { problemBody, PROBLEM_MEDIA_TYPE } from './problem.js';

const BODY_DEADLINE_MS = 300_000;
const STREAM_IDLE_MS = 120_000;
const DEADLINE_KEY = Symbol('sovcBodyDeadline');

interface BodyDeadline {
  timer: NodeJS.Timeout;
  idleMs: number;
}

type DeadlinedRequest = IncomingMessage & { [DEADLINE_KEY]?: BodyDeadline };

export interface ListenOptions {
  host: string;
  port: number;
  /** How long a request body may take to arrive whole (default 5 minutes). */
  bodyDeadlineMs?: number;
  /** How long a streamed body (`streamedBody`) may stall (default 2 minutes). */
  streamIdleMs?: number;
}

export interface RunningServer {
  readonly host: string;
  readonly port: number;
  /** `http://host:port`, with IPv6 hosts in brackets. */
  readonly url: string;
  /** Resolves once every connection is closed; idempotent. Default grace period 10 s. */
  close(options?: { graceMs?: number }): Promise<void>;
}

/** Answers 408 in the shape of the route's face (a DSP error under DSP routes), then hangs up. */
function refuseSlowBody(req: IncomingMessage, res: ServerResponse): void {
  if (req.complete) return;
  // Answered early (a refusal before the body was read): Node is still draining the body.
  if (res.headersSent) return void req.socket.destroy();
  const failure = fail('SOV_HTTP_REQUEST_TIMEOUT', 'the request body did not arrive whole in time; send it again');
  const routed = (res as Partial<Response>).locals !== undefined;
  res.setHeader('Connection', 'close');
  if (routed) renderFailure(res as Response, failure);
  else res.writeHead(408, { 'content-type': PROBLEM_MEDIA_TYPE }).end(JSON.stringify(problemBody(failure)));
  req.socket.destroySoon();
}

function bodyDeadlines(server: Server, deadlineMs: number, idleMs: number): void {
  server.on('request', (req: DeadlinedRequest, res: ServerResponse) => {
    const timer = setTimeout(() => refuseSlowBody(req, res), deadlineMs).unref();
    req[DEADLINE_KEY] = { timer, idleMs };
    const clear = (): void => clearTimeout(timer);
    // A body left unread by an early answer is still being drained: the deadline holds until it ends.
    res.once('close', () => (req.complete ? clear() : req.once('close', clear)));
  });
}

/**
 * Exempts this request's body from the deadline: it may take as long as it needs while bytes
 * keep moving; a connection silent for the idle period is cut (the handler sees the body end
 * early and commits nothing).
 */
export function streamedBody(req: IncomingMessage): void {
  const deadline = (req as DeadlinedRequest)[DEADLINE_KEY];
  if (deadline === undefined) return;
  clearTimeout(deadline.timer);
  req.socket.setTimeout(deadline.idleMs);
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

export function listen(app: HttpApp | RequestListener, options: ListenOptions): Promise<Result<RunningServer>> {
  const server = createServer({ requestTimeout: 0 });
  // Before the app, so a route can exempt its body whenever it runs.
  bodyDeadlines(server, options.bodyDeadlineMs ?? BODY_DEADLINE_MS, options.streamIdleMs ?? STREAM_IDLE_MS);
  server.on('request', typeof app === 'function' ? app : app.express);
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
