/**
 * Calls to another connector's data plane (the `DataPlaneRemote` port): every request is
 * signed with our caller token (trust's `issueCallerToken`, bound to method, URL and body), as
 * every connector call is. Streamed bodies are never buffered: the container flows through
 * with the socket's backpressure either way — a pulled response, or a pushed request whose
 * SHA-256 is computed in a first pass over the stored bytes so the caller token binds it. A
 * refusal comes back as a failure with the peer's code (its problem+json `code`, when it is
 * one of ours) so the user sees why. Answers are read up to `MAX_ANSWER_BYTES`, never more.
 */
import { createHash } from 'node:crypto';
import type { Clock, IdGenerator } from '../../clock/index.js';
import { allErrorSpecs, fail, ok, type ErrorCode, type Failure, type Result } from '../../errors/index.js';
import { issueCallerToken, type TokenSigner } from '../../trust/index.js';
import type { DataPlaneRemote } from '../transfer/ports.js';
import { MAX_ANSWER_BYTES, readBounded } from './bounded-answer.js';
import { uploadStream } from './stream-upload.js';

export interface RemoteClientOptions {
  did: string;
  kms: TokenSigner;
  clock: Clock;
  ids: IdGenerator;
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /** Ends streamed uploads in flight (the connector stopping); `fetch` carries its own. */
  signal?: AbortSignal;
  /** Time allowed until response headers arrive (after the last byte of an upload); default 30 s. */
  headersTimeoutMs?: number;
  /** Time an upload may go without a byte moving before it is given up (the callee stalled); default 2 minutes, as our own server cuts a silent body. */
  stallTimeoutMs?: number;
}

const KNOWN_CODES: ReadonlySet<string> = new Set(allErrorSpecs().map(([code]) => code));

function refusalOf(url: string, status: number, text: string): Failure {
  let body: { code?: unknown; detail?: unknown; reason?: unknown } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    body = {};
  }
  const detail = typeof body.detail === 'string' ? body.detail : `HTTP ${status}`;
  const code = typeof body.code === 'string' && KNOWN_CODES.has(body.code) ? (body.code as ErrorCode) : 'SOV_DATAPLANE_PEER_REFUSED';
  return fail(code, `${new URL(url).host} refused: ${detail}`, { status, url });
}

/** The answer's text, at most `MAX_ANSWER_BYTES` of it; a body that breaks off is the peer unavailable. */
async function answerText(url: string, response: Response): Promise<Result<string>> {
  try {
    const text = response.body === null ? '' : await readBounded(response.body as unknown as AsyncIterable<Uint8Array>);
    return text === undefined ? fail('SOV_DATAPLANE_PEER_REFUSED', `${url} answered more than ${MAX_ANSWER_BYTES} bytes`) : ok(text);
  } catch (error) {
    return fail('SOV_UPSTREAM_UNAVAILABLE', `reading the answer of ${url} failed: ${(error as Error).message}`, { url });
  }
}

function jsonOf(url: string, text: string): Result<unknown> {
  try {
    return ok(JSON.parse(text));
  } catch {
    return fail('SOV_DATAPLANE_PEER_REFUSED', `${url} answered with a body that is not JSON`);
  }
}

async function sha256Of(source: AsyncIterable<Uint8Array>): Promise<string> {
  const hash = createHash('sha256');
  for await (const piece of source) hash.update(piece);
  return hash.digest('base64url');
}

export function createDataPlaneRemote(options: RemoteClientOptions): DataPlaneRemote {
  const send = options.fetch ?? ((url: string, init: RequestInit) => fetch(url, init));
  const headersTimeoutMs = options.headersTimeoutMs ?? 30_000;
  const stallTimeoutMs = options.stallTimeoutMs ?? 120_000;
  const tokenFor = (method: 'GET' | 'POST', url: string, audienceDid: string, body?: string | { sha256: string }) =>
    issueCallerToken({ signer: options.kms, callerDid: options.did, audienceDid, request: { method, url, ...(body === undefined ? {} : { body }) }, clock: options.clock, ids: options.ids });
  /** One call; `read` takes the answer while the timer still runs, so a JSON answer must arrive whole in time. */
  async function call<T>(method: 'GET' | 'POST', url: string, audienceDid: string, headers: Record<string, string>, payload: string | undefined, read: (response: Response) => Promise<Result<T>>): Promise<Result<T>> {
    const token = await tokenFor(method, url, audienceDid, payload);
    const all: Record<string, string> = { ...headers, authorization: `Bearer ${token}`, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) };
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), headersTimeoutMs);
    try {
      const response = await send(url, { method, headers: all, redirect: 'manual', signal: controller.signal, ...(payload === undefined ? {} : { body: payload }) });
      if (response.ok) return await read(response);
      const text = await answerText(url, response);
      return refusalOf(url, response.status, text.ok ? text.value : '');
    } catch (error) {
      return fail('SOV_UPSTREAM_UNAVAILABLE', `${method} ${url} failed: ${(error as Error).message}`, { url });
    } finally {
      clearTimeout(timer);
    }
  }
  const json = (url: string) => async (response: Response): Promise<Result<unknown>> => {
    const text = await answerText(url, response);
    return text.ok ? jsonOf(url, text.value) : text;
  };
  // A streamed answer is read after the call returns: its timer covers the headers only.
  const stream = (url: string) => async (response: Response): Promise<Result<AsyncIterable<Uint8Array>>> =>
    response.body === null ? fail('SOV_DATAPLANE_PEER_REFUSED', `${url} answered without a body`) : ok(response.body as unknown as AsyncIterable<Uint8Array>);
  return {
    getStream: (url, audienceDid, headers) => call('GET', url, audienceDid, headers, undefined, stream(url)),
    getJson: (url, audienceDid, headers) => call('GET', url, audienceDid, headers, undefined, json(url)),
    postJson: (url, audienceDid, body, headers) => call('POST', url, audienceDid, headers, JSON.stringify(body), json(url)),
    async postStream(url, audienceDid, headers, open) {
      // The caller token binds the body's SHA-256, so the bytes are read once to hash them, then again to send them.
      const hashed = await open();
      if (!hashed.ok) return hashed;
      const sha256 = await sha256Of(hashed.value);
      const body = await open();
      if (!body.ok) return body;
      const token = await tokenFor('POST', url, audienceDid, { sha256 });
      try {
        const answer = await uploadStream(url, { headers: { ...headers, authorization: `Bearer ${token}` }, body: body.value, answerTimeoutMs: headersTimeoutMs, stallTimeoutMs, ...(options.signal === undefined ? {} : { signal: options.signal }) });
        return answer.status >= 200 && answer.status < 300 ? jsonOf(url, answer.text) : refusalOf(url, answer.status, answer.text);
      } catch (error) {
        return fail('SOV_UPSTREAM_UNAVAILABLE', `POST ${url} failed: ${(error as Error).message}`, { url });
      }
    },
  };
}
