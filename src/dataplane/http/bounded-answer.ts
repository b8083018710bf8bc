/**
 * Answers of other connectors' data planes are small JSON documents (a status, an envelope, a
 * signed report, a receipt acknowledgement, a problem+json refusal), read whole. A peer that
 * answers an endless body must not grow our memory: reading stops at `MAX_ANSWER_BYTES`.
 */

/** The most of an answer we read; a signed anonymisation report, the largest, stays well below it. */
export const MAX_ANSWER_BYTES = 64 * 1024;

/** The UTF-8 text of `body`, or undefined once it exceeds `max` bytes (the rest is not read; the stream is released). */
export async function readBounded(body: AsyncIterable<Uint8Array>, max = MAX_ANSWER_BYTES): Promise<string | undefined> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const part of body) {
    size += part.length;
    if (size > max) return undefined;
    parts.push(part);
  }
  return Buffer.concat(parts).toString('utf8');
}
