/**
 * The verify-only reading of a container (docs/format.md §2–§4) as its bytes arrive: the same
 * framing rules as readContainerParts (records.ts), but the chunk records are never assembled.
 * A consumer that stores ciphertext as it is needs no record whole (it decrypts nothing), so
 * each piece that arrives is hashed where it lies and passed on uncopied; only the header, the
 * 4-byte lengths and the trailer are gathered, and they are small. Copying each 64 KiB record
 * out of the socket's pieces cost as much as the digest itself.
 */
import { ABYTES, FIXED_HEADER_BYTES, LENGTH_PREFIX_BYTES, MAX_STRING_BYTES, decodeHeader, decodeHeaderLength, type ContainerHeader } from '../format/layout.js';
import type { BulkCrypto, IncrementalHash } from '../ports.js';
import {
  BYTES_AFTER_TRAILER, ENDS_INSIDE_HEADER, ENDS_INSIDE_TRAILER, TAIL_BYTES,
  checkEndMarker, checkRecordLength, endsInsideChunk, endsInsidePrefix, refuse, trailerPart, type TrailerPart,
} from './records.js';

/** header: gathering it; length: a record's 4-byte length; body: inside a record; tail: digest + signature. */
type Stage = 'header' | 'length' | 'body' | 'tail';

/** The most bytes gathered at once: a header with its three strings at their longest. */
const MAX_GATHERED = FIXED_HEADER_BYTES + 3 * (2 + MAX_STRING_BYTES);

export class ContainerScanner {
  private stage: Stage = 'header';
  /** Small parts (header, length, tail) being gathered across pieces. */
  private readonly gathered = new Uint8Array(MAX_GATHERED);
  private have = 0;
  /** Bytes the current stage needs (for `body`: still to come). */
  private need = FIXED_HEADER_BYTES;
  private header: ContainerHeader | undefined;
  private recordLength = 0;
  private chunks = 0;
  private plaintextLength = 0;
  private lastWasShort = false;
  private size = 0;
  private readonly hash: IncrementalHash;

  /** `onHeader` sees the decoded header before any byte after it is scanned; it may refuse. */
  constructor(crypto: BulkCrypto, private readonly onHeader: (header: ContainerHeader) => void) {
    this.hash = crypto.createHash();
  }

  /**
   * Scans `piece` (throws a DomainError at the first framing violation) and returns how many
   * of its leading bytes to pass on now: all of them up to the end marker. The digest and
   * signature after it are held back, so whoever stores the bytes never holds the whole
   * container before `finish` checked it; the caller passes on `finish`'s tail then.
   */
  scan(piece: Uint8Array): number {
    let at = 0;
    let passOn = this.stage === 'tail' ? 0 : piece.length;
    while (at < piece.length) {
      if (this.stage === 'body') {
        const n = Math.min(this.need, piece.length - at);
        at += n;
        this.need -= n;
        if (this.need === 0) this.recordDone();
        continue;
      }
      const n = Math.min(this.need - this.have, piece.length - at);
      if (n === 0) refuse(BYTES_AFTER_TRAILER());
      this.gathered.set(piece.subarray(at, at + n), this.have);
      this.have += n;
      at += n;
      if (this.have === this.need && this.stage !== 'tail' && this.gatheredDone() === 'end marker') passOn = at;
    }
    // The digest covers every byte up to and including the end marker (§4): what is passed on.
    if (passOn > 0) this.hash.update(passOn === piece.length ? piece : piece.subarray(0, passOn));
    this.size += piece.length;
    return passOn;
  }

  /** At the end of the bytes: refuses a cut container, else the trailer to check. */
  finish(): TrailerPart {
    if (this.stage === 'header') refuse(ENDS_INSIDE_HEADER());
    if (this.stage === 'length') refuse(endsInsidePrefix(this.chunks, this.have));
    if (this.stage === 'body') refuse(endsInsideChunk(this.chunks));
    if (this.have < TAIL_BYTES) refuse(ENDS_INSIDE_TRAILER());
    return trailerPart(this.gathered.slice(0, TAIL_BYTES), this.hash.digest(), { chunks: this.chunks, plaintextLength: this.plaintextLength, size: this.size });
  }

  /** A header or record length is complete; says when it was the end marker. */
  private gatheredDone(): 'end marker' | undefined {
    if (this.stage === 'header') {
      this.headerStep();
      return undefined;
    }
    const length = new DataView(this.gathered.buffer, 0, LENGTH_PREFIX_BYTES).getUint32(0);
    const header = this.header as ContainerHeader;
    this.have = 0;
    if (length === 0) {
      checkEndMarker(header, this.chunks, this.plaintextLength);
      this.stage = 'tail';
      this.need = TAIL_BYTES;
      return 'end marker';
    }
    checkRecordLength(this.chunks, length, header.chunkSize + ABYTES, this.lastWasShort);
    this.stage = 'body';
    this.recordLength = length;
    this.need = length;
    return undefined;
  }

  /** First the fixed 48 bytes (magic, version, total length), then the rest of the header. */
  private headerStep(): void {
    if (this.need === FIXED_HEADER_BYTES) {
      // decodeHeaderLength admits only lengths past the fixed part, so this step runs once.
      const length = decodeHeaderLength(this.gathered.subarray(0, FIXED_HEADER_BYTES));
      if (!length.ok) refuse(length);
      this.need = length.value;
      return;
    }
    const header = decodeHeader(this.gathered.slice(0, this.need));
    if (!header.ok) refuse(header);
    this.onHeader(header.value);
    this.header = header.value;
    this.stage = 'length';
    this.have = 0;
    this.need = LENGTH_PREFIX_BYTES;
  }

  private recordDone(): void {
    const full = (this.header as ContainerHeader).chunkSize + ABYTES;
    this.chunks += 1;
    this.plaintextLength += this.recordLength - ABYTES;
    this.lastWasShort = this.recordLength < full;
    this.stage = 'length';
    this.need = LENGTH_PREFIX_BYTES;
  }
}
