/**
 * The transport of outbound connector-to-connector calls (the `HttpTransport` the signed
 * connector client is given): HTTP/1.1 over node:http / node:https with keep-alive agents, so
 * the connections to a peer stay open between DSP messages, and without the WHATWG fetch
 * machinery (Response, Headers, stream readers, AbortSignal), which cost ~2.5-3% of each
 * connector's CPU in the DSP bench.
 *
 * It keeps what the client relies on: no redirect is followed (the 3xx comes back as is), the
 * request is destroyed when the call's timeout passes, and the answer is read whole up to
 * `maxResponseBytes`, past which the request is destroyed and the call fails. An idle
 * connection is closed before the peer's keep-alive timeout (its `Keep-Alive: timeout=` hint,
 * else `idleMs`), so a request is rarely sent on a connection the peer is closing; one that is
 * fails like any unreachable peer and the outbox retries it.
 */
import http from 'node:http';
import https from 'node:https';
import type { AnswerHeaders, HttpTransport, TransportAnswer, TransportRequest } from '../../trust/index.js';

export interface PeerTransportOptions {
  /** Idle keep-alive connections are closed after this (ms); default 4000, under Node's 5 s server keep-alive. */
  idleMs?: number;
}

export interface PeerTransport {
  send: HttpTransport;
  /** Closes the idle connections (the open ones end with their requests). */
  close(): void;
}

/** Node's parsed answer headers (names lower-cased, repeats joined) read like `Headers.get`. */
function answerHeaders(raw: http.IncomingHttpHeaders): AnswerHeaders {
  return {
    get(name) {
      const value = raw[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

export function createPeerTransport(options: PeerTransportOptions = {}): PeerTransport {
  const agentOptions = { keepAlive: true, timeout: options.idleMs ?? 4000 };
  const agents = { 'http:': new http.Agent(agentOptions), 'https:': new https.Agent(agentOptions) };

  function send({ method, url, headers, body, timeoutMs, maxResponseBytes }: TransportRequest): Promise<TransportAnswer> {
    return new Promise<TransportAnswer>((resolve, reject) => {
      const target = new URL(url);
      const protocol = target.protocol === 'https:' ? 'https:' : target.protocol === 'http:' ? 'http:' : undefined;
      if (protocol === undefined) throw new TypeError(`unsupported protocol ${target.protocol}`);
      const request = protocol === 'https:' ? https.request : http.request;
      // A failure rejects before destroying the request, so its reason wins over the socket errors that follow.
      const failWith = (error: Error): void => {
        clearTimeout(timer);
        reject(error);
        req.destroy();
      };
      const req = request(target, { method, headers, agent: agents[protocol] }, (res) => {
        const chunks: Buffer[] = [];
        let total = 0;
        res.on('data', (chunk: Buffer) => {
          total += chunk.byteLength;
          if (total <= maxResponseBytes) chunks.push(chunk);
          else if (!req.destroyed) failWith(new Error(`the answer exceeds ${maxResponseBytes} bytes`));
        });
        res.on('error', failWith);
        res.on('end', () => {
          clearTimeout(timer);
          const content = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total);
          resolve({ status: res.statusCode ?? 0, headers: answerHeaders(res.headers), body: content });
        });
      });
      const timer = setTimeout(() => failWith(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      req.on('error', failWith);
      req.end(body);
    });
  }

  return {
    send,
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}
