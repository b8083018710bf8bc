/**
 * Calls to another connector's data plane (the `DataPlaneRemote` port): every request is
 * signed with our caller token (trust's `issueCallerToken`, bound to method, URL and body), as
 * every connector call is. Streamed bodies are never buffered: the container flows through
 * with the socket's backpressure, either way (a pulled response, a pushed request whose
 * SHA-256 is computed in a first pass over the stored bytes so the caller token binds it). A refusal comes back as a failure with the peer's code
 * (its problem+json `code`, when it is one of ours) so the user sees why.
 */
import { createHash } from 'node:crypto';
import type { Clock, IdGenerator } from '../../clock/index.js';
import { allErrorSpecs, fail, ok, type ErrorCode, type Failure, type Result } from '../../errors/index.js';
import { issueCallerToken, type TokenSigner } from '../../trust/index.js';
import type { DataPlaneRemote } from '../transfer/ports.js';

export interface RemoteClientOptions {
  did: string;
  kms: TokenSigner;
  clock: Clock;
  ids: IdGenerator;
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /** Time allowed until response headers arrive; default 30 s. */
  headersTimeoutMs?: number;
}

const KNOWN_CODES: ReadonlySet<string> = new Set(allErrorSpecs().map(([code]) => code));

async function refusalOf(url: string, response: Response): Promise<Failure> {
  const text = await response.text().catch(() => '');
  let body: { code?: unknown; detail?: unknown; reason?: unknown } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    body = {};
  }
  const detail = typeof body.detail === 'string' ? body.detail : `HTTP ${response.status}`;
  const code = typeof body.code === 'string' && KNOWN_CODES.has(body.code) ? (body.code as ErrorCode) : 'SOV_DATAPLANE_PEER_REFUSED';
  return fail(code, `${new URL(url).host} refused: ${detail}`, { status: response.status, url });
}

/** A JSON body, or a streamed one whose SHA-256 was computed beforehand (it goes into the caller token). */
type Payload = { json: string } | { stream: AsyncIterable<Uint8Array>; sha256: string };

async function sha256Of(source: AsyncIterable<Uint8Array>): Promise<string> {
  const hash = createHash('sha256');
  for await (const piece of source) hash.update(piece);
  return hash.digest('base64url');
}

/** Passes `source` through and calls `ended` once its last byte was handed on. */
async function* thenCall(source: AsyncIterable<Uint8Array>, ended: () => void): AsyncGenerator<Uint8Array> {
  yield* source;
  ended();
}

export function createDataPlaneRemote(options: RemoteClientOptions): DataPlaneRemote {
  const send = options.fetch ?? ((url: string, init: RequestInit) => fetch(url, init));
  const headersTimeoutMs = options.headersTimeoutMs ?? 30_000;
  async function call(method: 'GET' | 'POST', url: string, audienceDid: string, headers: Record<string, string>, payload?: Payload): Promise<Result<Response>> {
    const bound = payload === undefined ? {} : { body: 'json' in payload ? payload.json : { sha256: payload.sha256 } };
    const token = await issueCallerToken({ signer: options.kms, callerDid: options.did, audienceDid, request: { method, url, ...bound }, clock: options.clock, ids: options.ids });
    const all: Record<string, string> = { ...headers, authorization: `Bearer ${token}`, ...(payload !== undefined && 'json' in payload ? { 'content-type': 'application/json' } : {}) };
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    // The answer of a streamed upload comes once the callee has checked all of it: the wait for it starts when the last byte is sent.
    const arm = () => (timer = setTimeout(() => controller.abort(), headersTimeoutMs));
    const body = payload === undefined ? {} : 'json' in payload ? { body: payload.json } : { body: thenCall(payload.stream, arm) as unknown as ReadableStream, duplex: 'half' };
    if (payload === undefined || 'json' in payload) arm();
    try {
      const response = await send(url, { method, headers: all, redirect: 'manual', signal: controller.signal, ...body } as RequestInit);
      return response.ok ? ok(response) : await refusalOf(url, response);
    } catch (error) {
      return fail('SOV_UPSTREAM_UNAVAILABLE', `${method} ${url} failed: ${(error as Error).message}`, { url });
    } finally {
      clearTimeout(timer);
    }
  }
  const json = async (response: Result<Response>): Promise<Result<unknown>> => {
    if (!response.ok) return response;
    try {
      return ok(await response.value.json());
    } catch {
      return fail('SOV_DATAPLANE_PEER_REFUSED', `${response.value.url} answered with a body that is not JSON`);
    }
  };
  return {
    async getStream(url, audienceDid, headers) {
      const response = await call('GET', url, audienceDid, headers);
      if (!response.ok) return response;
      const body = response.value.body;
      return body === null ? fail('SOV_DATAPLANE_PEER_REFUSED', `${url} answered without a body`) : ok(body as unknown as AsyncIterable<Uint8Array>);
    },
    getJson: async (url, audienceDid, headers) => json(await call('GET', url, audienceDid, headers)),
    postJson: async (url, audienceDid, body, headers) => json(await call('POST', url, audienceDid, headers, { json: JSON.stringify(body) })),
    async postStream(url, audienceDid, headers, open) {
      // The caller token binds the body's SHA-256, so the bytes are read once to hash them, then again to send them.
      const hashed = await open();
      if (!hashed.ok) return hashed;
      const sha256 = await sha256Of(hashed.value);
      const stream = await open();
      if (!stream.ok) return stream;
      return json(await call('POST', url, audienceDid, headers, { stream: stream.value, sha256 }));
    },
  };
}
