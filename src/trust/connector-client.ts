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

/** The subset of WHATWG fetch used; injectable so tests can count or fake requests. */
export type HttpFetch = (url: string, init: RequestInit) => Promise<Response>;

export interface ConnectorClientOptions {
  /** Our DID: token iss = sub. */
  did: string;
  /** Our kms (only `sign` and `activeSigningKey` are used). */
  kms: TokenSigner;
  clock: Clock;
  ids: IdGenerator;
  /** Default: global fetch. */
  fetch?: HttpFetch;
  /** Default 10 s. */
  timeoutMs?: number;
  /** Default 4 MiB. */
  maxResponseBytes?: number;
  /** Token lifetime; default 120 s, capped at 300 s. */
  tokenLifetimeSeconds?: number;
}

export interface ConnectorResponse {
  status: number;
  headers: Headers;
  /** The parsed JSON body, or undefined when the body was empty. */
  body: unknown;
}

export interface ConnectorClient {
  readonly did: string;
  post(url: string, audienceDid: string, body: unknown): Promise<Result<ConnectorResponse>>;
  get(url: string, audienceDid: string): Promise<Result<ConnectorResponse>>;
}

async function readCapped(response: Response, maxBytes: number): Promise<Uint8Array | undefined> {
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
      return undefined;
    }
    chunks.push(value);
  }
}

async function decode(url: string, response: Response, maxBytes: number): Promise<Result<ConnectorResponse>> {
  const bytes = await readCapped(response, maxBytes);
  if (bytes === undefined) return fail('SOV_UPSTREAM_UNAVAILABLE', `the answer from ${url} exceeds ${maxBytes} bytes`);
  const text = Buffer.from(bytes).toString('utf8');
  if (text.trim() === '') return ok({ status: response.status, headers: response.headers, body: undefined });
  try {
    return ok({ status: response.status, headers: response.headers, body: JSON.parse(text) as unknown });
  } catch {
    return fail('SOV_UPSTREAM_UNAVAILABLE', `the answer from ${url} (status ${response.status}) is not JSON`);
  }
}

export function createConnectorClient(options: ConnectorClientOptions): ConnectorClient {
  const send = options.fetch ?? ((url: string, init: RequestInit) => fetch(url, init));
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxBytes = options.maxResponseBytes ?? 4 * 1024 * 1024;

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
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await send(url, { method, headers, redirect: 'manual', signal: controller.signal, ...(payload === undefined ? {} : { body: payload }) });
      return await decode(url, response, maxBytes);
    } catch (error) {
      const why = controller.signal.aborted ? `no answer within ${timeoutMs} ms` : error instanceof Error ? error.message : String(error);
      return fail('SOV_UPSTREAM_UNAVAILABLE', `${method} ${url} failed: ${why}`, { url });
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    did: options.did,
    post: (url, audienceDid, body) => call('POST', url, audienceDid, JSON.stringify(body)),
    get: (url, audienceDid) => call('GET', url, audienceDid),
  };
}
