/**
 * Calls to another connector's data plane (the `DataPlaneRemote` port): every request is
 * signed with our caller token (trust's `issueCallerToken`, bound to method, URL and body), as
 * every connector call is. Streamed bodies are never buffered: the container flows through
 * with the socket's backpressure. A refusal comes back as a failure with the peer's code
 * (its problem+json `code`, when it is one of ours) so the user sees why.
 */
import type { Clock, IdGenerator } from '../../clock/index.js';
import { allErrorSpecs, fail, ok, type ErrorCode, type Failure, type Result } from '../../errors/index.js';
import { issueCallerToken, type TokenSigner } from '../../trust/index.js';
import type { DataPlaneRemote } from '../transfer/consumer-deps.js';

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

export function createDataPlaneRemote(options: RemoteClientOptions): DataPlaneRemote {
  const send = options.fetch ?? ((url: string, init: RequestInit) => fetch(url, init));
  async function call(method: 'GET' | 'POST', url: string, audienceDid: string, headers: Record<string, string>, payload?: string): Promise<Result<Response>> {
    const token = await issueCallerToken({ signer: options.kms, callerDid: options.did, audienceDid, request: { method, url, ...(payload === undefined ? {} : { body: payload }) }, clock: options.clock, ids: options.ids });
    const all: Record<string, string> = { ...headers, authorization: `Bearer ${token}`, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) };
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), options.headersTimeoutMs ?? 30_000);
    try {
      const response = await send(url, { method, headers: all, redirect: 'manual', signal: controller.signal, ...(payload === undefined ? {} : { body: payload }) });
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
    postJson: async (url, audienceDid, body, headers) => json(await call('POST', url, audienceDid, headers, JSON.stringify(body))),
  };
}
