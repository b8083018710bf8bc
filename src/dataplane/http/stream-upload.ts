/**
 * A request whose body is streamed from an async iterable with the socket's backpressure, in
 * constant memory, over node:http(s). The platform `fetch` accepts such a body too, and keeps
 * the pace, but the garbage of its stream plumbing piles up faster than it is collected: its
 * resident memory grew with the body (≈ 1.2 GB for a 1 GB upload on Node 20), where this stays
 * flat. The answer is read whole (a small JSON reply); the wait for it starts when the last byte
 * is sent, since a callee that verifies the body answers only after it.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

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
}

async function textOf(response: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of response) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

/** POSTs `body` to `url`; rejects when the connection breaks or the answer does not come in time. */
export function uploadStream(url: string, options: UploadOptions): Promise<UploadAnswer> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const request = send(target, { method: 'POST', headers: options.headers, ...(options.signal === undefined ? {} : { signal: options.signal }) });
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
