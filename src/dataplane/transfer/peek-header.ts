/**
 * Reads a container header off the front of a byte stream without consuming it: the
 * consumer must know which key signed the container (header `signer`) before it can verify
 * the stream, and the stream is then handed on whole.
 */
import { fail, ok, type Result } from '../../errors/index.js';
import { concatSources } from '../format/byte-reader.js';
import { FIXED_HEADER_BYTES, decodeHeader, decodeHeaderLength, type ContainerHeader } from '../format/layout.js';

export async function peekHeader(source: AsyncIterable<Uint8Array>): Promise<Result<{ header: ContainerHeader; source: AsyncIterable<Uint8Array> }>> {
  const iterator = source[Symbol.asyncIterator]();
  const pieces: Uint8Array[] = [];
  let have = 0;
  let need = FIXED_HEADER_BYTES;
  let lengthKnown = false;
  while (have < need) {
    const next = await iterator.next();
    if (next.done === true) return fail('SOV_DATAPLANE_TRUNCATED', `the container ends after ${have} bytes, inside its header`);
    pieces.push(next.value);
    have += next.value.length;
    if (!lengthKnown && have >= FIXED_HEADER_BYTES) {
      const length = decodeHeaderLength(Buffer.concat(pieces).subarray(0, FIXED_HEADER_BYTES));
      if (!length.ok) return length;
      need = length.value;
      lengthKnown = true;
    }
  }
  const header = decodeHeader(Buffer.concat(pieces).subarray(0, need));
  if (!header.ok) return header;
  const rest: AsyncIterable<Uint8Array> = { [Symbol.asyncIterator]: () => iterator };
  return ok({ header: header.value, source: concatSources(arrayOf(pieces), rest) });
}

async function* arrayOf(pieces: Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* pieces;
}
