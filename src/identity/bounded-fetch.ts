/**
 * Fetches a small JSON document from another connector with a timeout, a size cap and no
 * redirects: a redirect could move a did:web lookup from https to plain http or to another
 * host, and an unbounded body could exhaust memory (identity.md §2 "documentLoader").
 */
import { fail, ok, type ErrorCode, type Result } from '../errors/index.js';
import { checkTransport } from './did-web.js';

/** The subset of WHATWG `fetch` we rely on; injectable so tests need no network. */
export type FetchLike = (
  url: string,
  init: { signal: AbortSignal; redirect: 'manual'; headers: Record<string, string> },
) => Promise<Response>;

export interface BoundedFetchOptions {
  fetch: FetchLike;
  timeoutMs: number;
  maxBytes: number;
  /** Code for an unreachable host, a non-2xx status or a timeout. */
  unavailableCode: ErrorCode;
  /** Code for a body over `maxBytes` or a body that is not JSON. */
  invalidCode: ErrorCode;
  tooLargeCode: ErrorCode;
}

async function readCapped(response: Response, maxBytes: number): Promise<Uint8Array | undefined> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) return undefined;
  const reader = response.body?.getReader();
  if (reader === undefined) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

export async function fetchJsonBounded(url: string, options: BoundedFetchOptions): Promise<Result<unknown>> {
  const transport = checkTransport(new URL(url));
  if (!transport.ok) return transport;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  try {
    const response = await options.fetch(url, {
      signal: controller.signal,
      redirect: 'manual',
      headers: { accept: 'application/did+json, application/json, application/ld+json' },
    });
    if (response.status < 200 || response.status > 299) {
      return fail(options.unavailableCode, `GET ${url} answered ${response.status}${response.status < 400 ? ' (redirects are refused)' : ''}`);
    }
    const body = await readCapped(response, options.maxBytes);
    if (body === undefined) return fail(options.tooLargeCode, `GET ${url}: body exceeds ${options.maxBytes} bytes`);
    try {
      return ok(JSON.parse(new TextDecoder().decode(body)) as unknown);
    } catch {
      return fail(options.invalidCode, `GET ${url}: body is not JSON`);
    }
  } catch (error) {
    const reason = controller.signal.aborted ? `no answer within ${options.timeoutMs} ms` : String(error);
    return fail(options.unavailableCode, `GET ${url} failed: ${reason}`);
  } finally {
    clearTimeout(timer);
  }
}
