/**
 * A request whose body is streamed from an async iterable with the socket's backpressure, in
 * constant memory, over node:http(s). The platform `fetch` accepts such a body too, and keeps
 * the pace, but the garbage of its stream plumbing piles up faster than it is collected: its
 * resident memory grew with the body (≈ 1.2 GB for a 1 GB upload on Node 20), where this stays
 * flat. The answer is read whole (a small JSON reply) up to `MAX_ANSWER_BYTES`; the wait for it
 * starts when the last byte is sent, since a callee that verifies the body answers only after
 * it. A callee that stops taking bytes (or answering) for `stallTimeoutMs` is given up on, so
 * it cannot hold one of the provider's few push slots for ever.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { MAX_ANSWER_BYTES, readBounded } from './bounded-answer.js';

export interface UploadAnswer {
  status: number;
  text: string;
}

export interface UploadOptions {
  headers: Record<string, string>;
  body: AsyncIterable<Uint8Array>;
  /** Ends the request (connector stopping). */
  signal?: AbortSignal;
  /** Time allowed for the answer once the body is sent. */
  answerTimeoutMs: number;
  /** Time the connection may go without a byte moving either way before the upload is given up (the callee stalled). */
  stallTimeoutMs: number;
}

async function textOf(response: IncomingMessage): Promise<string> {
  const text = await readBounded(response);
  if (text === undefined) throw new Error(`the answer exceeds ${MAX_ANSWER_BYTES} bytes`);
  return text;
}

/** POSTs `body` to `url`; rejects when the connection breaks or stalls, or the answer does not come in time. */
export function uploadStream(url: string, options: UploadOptions): Promise<UploadAnswer> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const request = send(target, { method: 'POST', headers: options.headers, ...(options.signal === undefined ? {} : { signal: options.signal }) });
  // The socket's idle timer: it restarts whenever bytes go out or come in, so it fires only when the callee stopped reading (or answering).
  request.setTimeout(options.stallTimeoutMs, () => request.destroy(new Error(`the upload stalled: no byte moved for ${options.stallTimeoutMs} ms`)));
  let timer: NodeJS.Timeout | undefined;
  const answered = new Promise<UploadAnswer>((resolve, reject) => {
    request.once('response', (response) => {
      textOf(response).then((text) => resolve({ status: response.statusCode ?? 0, text }), reject);
    });
    request.once('error', reject);
  });
  const sent = pipeline(Readable.from(options.body, { objectMode: false }), request).then(() => {
    timer = setTimeout(() => request.destroy(new Error(`no answer within ${options.answerTimeoutMs} ms of the last byte`)), options.answerTimeoutMs);
  });
  // A callee that refuses early answers before the body is all sent: the answer counts, the rest is not sent.
  return Promise.race([answered, sent.then(() => answered)]).finally(() => {
    clearTimeout(timer);
    request.destroy();
  });
}
