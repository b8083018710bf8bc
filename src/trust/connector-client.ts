/**
 * The caller side of connector-to-connector calls (identity.md §7.3): every request carries
 * `Authorization: Bearer <caller token>` with `aud` = the callee's DID and bound to this exact
 * method, URL and body (the body is serialised once, and those very bytes are both hashed and
 * sent). Responses are read with a timeout and a size cap; redirects are not followed. Any
 * HTTP status comes back as a value for the caller to judge; only an unreachable or garbled
 * peer is a failure (SOV_UPSTREAM_UNAVAILABLE).
 */
import type { Clock, IdGenerator } from '../clock/index.js';
import { fail, ok, type Result } from '../errors/index.js';
import { issueCallerToken, type TokenSigner } from './caller-token.js';

/** The headers of an answer, read by name (case-insensitive); a WHATWG `Headers` is one. */
export interface AnswerHeaders {
  get(name: string): string | null;
}

export interface TransportRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** The whole call, answer body included, ends within this. */
  timeoutMs: number;
  /** A longer answer is not read: the call fails. */
  maxResponseBytes: number;
}

export interface TransportAnswer {
  status: number;
  headers: AnswerHeaders;
  body: Uint8Array;
}

/**
 * The port the client sends through: one HTTP exchange, redirects returned as they are. It
 * rejects (with the reason as message) when the peer is unreachable, the timeout passes or the
 * answer exceeds the cap; the keep-alive adapter is src/http/dsp `createPeerTransport`.
 */
export type HttpTransport = (request: TransportRequest) => Promise<TransportAnswer>;

/** The subset of WHATWG fetch `fetchTransport` uses; injectable so tests can count or fake requests. */
export type HttpFetch = (url: string, init: RequestInit) => Promise<Response>;

export interface ConnectorClientOptions {
  /** Our DID: token iss = sub. */
  did: string;
  /** Our kms (only `sign` and `activeSigningKey` are used). */
  kms: TokenSigner;
  clock: Clock;
  ids: IdGenerator;
  /** Default: `fetchTransport` over global fetch. */
  transport?: HttpTransport;
  /** Default 10 s. */
  timeoutMs?: number;
  /** Default 4 MiB. */
  maxResponseBytes?: number;
  /** Token lifetime; default 120 s, capped at 300 s. */
  tokenLifetimeSeconds?: number;
}

export interface ConnectorResponse {
  status: number;
  headers: AnswerHeaders;
  /** The parsed JSON body, or undefined when the body was empty. */
  body: unknown;
}

export interface ConnectorClient {
  readonly did: string;
  post(url: string, audienceDid: string, body: unknown): Promise<Result<ConnectorResponse>>;
  get(url: string, audienceDid: string): Promise<Result<ConnectorResponse>>;
}

async function readCapped(response: Response, maxBytes: number): Promise<Uint8Array> {
  const reader = response.body?.getReader();
  if (reader === undefined) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new Error(`the answer exceeds ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
}

/** The transport port over a WHATWG fetch (the default, and tests' recording fetch): not the hot path. */
export function fetchTransport(send: HttpFetch = (url, init) => fetch(url, init)): HttpTransport {
  return async ({ method, url, headers, body, timeoutMs, maxResponseBytes }) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await send(url, { method, headers, redirect: 'manual', signal: controller.signal, ...(body === undefined ? {} : { body }) });
      return { status: response.status, headers: response.headers, body: await readCapped(response, maxResponseBytes) };
    } catch (error) {
      throw controller.signal.aborted ? new Error(`no answer within ${timeoutMs} ms`) : error;
    } finally {
      clearTimeout(timer);
    }
  };
}

function decode(url: string, answer: TransportAnswer): Result<ConnectorResponse> {
  const { status, headers, body } = answer;
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  if (text.trim() === '') return ok({ status, headers, body: undefined });
  try {
    return ok({ status, headers, body: JSON.parse(text) as unknown });
  } catch {
    return fail('SOV_UPSTREAM_UNAVAILABLE', `the answer from ${url} (status ${status}) is not JSON`);
  }
}

export function createConnectorClient(options: ConnectorClientOptions): ConnectorClient {
  const transport = options.transport ?? fetchTransport();
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxResponseBytes = options.maxResponseBytes ?? 4 * 1024 * 1024;

  async function call(method: 'GET' | 'POST', url: string, audienceDid: string, payload?: string): Promise<Result<ConnectorResponse>> {
    const token = await issueCallerToken({
      signer: options.kms,
      callerDid: options.did,
      audienceDid,
      request: { method, url, ...(payload === undefined ? {} : { body: payload }) },
      clock: options.clock,
      ids: options.ids,
      ...(options.tokenLifetimeSeconds === undefined ? {} : { lifetimeSeconds: options.tokenLifetimeSeconds }),
    });
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
    if (payload !== undefined) headers['content-type'] = 'application/json';
    let answer: TransportAnswer;
    try {
      answer = await transport({ method, url, headers, timeoutMs, maxResponseBytes, ...(payload === undefined ? {} : { body: payload }) });
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      return fail('SOV_UPSTREAM_UNAVAILABLE', `${method} ${url} failed: ${why}`, { url });
    }
    return decode(url, answer);
  }

  return {
    did: options.did,
    post: (url, audienceDid, body) => call('POST', url, audienceDid, JSON.stringify(body)),
    get: (url, audienceDid) => call('GET', url, audienceDid),
  };
}
