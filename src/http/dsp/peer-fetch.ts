/**
 * The transport of outbound connector-to-connector calls (the `fetch` the signed connector
 * client is given): HTTP/1.1 over node:http / node:https with keep-alive agents, so the
 * connections to a peer stay open between DSP messages, and without the WHATWG fetch
 * machinery, which cost about as much CPU per message as the rest of the HTTP round trip.
 *
 * It keeps what the client relies on: no redirect is followed (the 3xx comes back as is), the
 * caller's AbortSignal ends the request (the client's timeout), and the answer is read whole up
 * to `maxResponseBytes`, past which the request is destroyed and the call fails. An idle
 * connection is closed before the peer's keep-alive timeout (its `Keep-Alive: timeout=` hint,
 * else `idleMs`), so a request is rarely sent on a connection the peer is closing; one that is
 * fails like any unreachable peer and the outbox retries it.
 */
import http from 'node:http';
import https from 'node:https';

/** The subset of WHATWG fetch the connector client uses. */
export type PeerFetch = (url: string, init: RequestInit) => Promise<Response>;

export interface PeerFetchOptions {
  /** Idle keep-alive connections are closed after this (ms); default 4000, under Node's 5 s server keep-alive. */
  idleMs?: number;
  /** Largest answer read (bytes); default 4 MiB, the connector client's own cap. */
  maxResponseBytes?: number;
}

export interface PeerTransport {
  fetch: PeerFetch;
  /** Closes the idle connections (the open ones end with their requests). */
  close(): void;
}

/** Statuses whose Response may not carry a body (Fetch standard "null body status"). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

function headersOf(init: RequestInit): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(init.headers).forEach((value, name) => (out[name] = value));
  return out;
}

function responseHeaders(raw: http.IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
  }
  return headers;
}

function requestBody(body: RequestInit['body']): string | Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  throw new TypeError('the peer transport sends string or byte bodies only');
}

export function createPeerTransport(options: PeerFetchOptions = {}): PeerTransport {
  const agentOptions = { keepAlive: true, timeout: options.idleMs ?? 4000 };
  const agents = { 'http:': new http.Agent(agentOptions), 'https:': new https.Agent(agentOptions) };
  const maxBytes = options.maxResponseBytes ?? 4 * 1024 * 1024;

  function fetchPeer(url: string, init: RequestInit): Promise<Response> {
    const target = new URL(url);
    const protocol = target.protocol === 'https:' ? 'https:' : target.protocol === 'http:' ? 'http:' : undefined;
    if (protocol === undefined) return Promise.reject(new TypeError(`unsupported protocol ${target.protocol}`));
    const body = requestBody(init.body);
    const request = protocol === 'https:' ? https.request : http.request;
    return new Promise<Response>((resolve, reject) => {
      const req = request(
        target,
        { method: init.method ?? 'GET', headers: headersOf(init), agent: agents[protocol], ...(init.signal ? { signal: init.signal } : {}) },
        (res) => {
          const chunks: Buffer[] = [];
          let total = 0;
          res.on('data', (chunk: Buffer) => {
            total += chunk.byteLength;
            if (total <= maxBytes) chunks.push(chunk);
            else if (!req.destroyed) {
              reject(new Error(`the answer from ${url} exceeds ${maxBytes} bytes`));
              req.destroy();
            }
          });
          res.on('error', reject);
          res.on('end', () => {
            if (total > maxBytes) return;
            const status = res.statusCode ?? 0;
            const content = NULL_BODY_STATUSES.has(status) || total === 0 ? null : Buffer.concat(chunks, total);
            try {
              resolve(new Response(content, { status, statusText: res.statusMessage ?? '', headers: responseHeaders(res.headers) }));
            } catch (error) {
              reject(error);
            }
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  return {
    fetch: fetchPeer,
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}
