/**
 * The end-of-container checks both readers share (docs/format.md §4): the digest recomputed
 * over header, chunk records and end marker must equal the stated one, and the signature over
 * `"sovc-container-v1:" || digest` must verify under the key the caller expects.
 */
import { fail } from '../../errors/index.js';
import { signedMessage, type ContainerHeader } from '../format/layout.js';
import type { BulkCrypto } from '../ports.js';
import { refuse, type ContainerPart } from './records.js';

export interface ContainerSummary {
  header: ContainerHeader;
  /** BLAKE2b-256 over header, chunk records and end marker: what the signature covers. */
  digest: Uint8Array;
  signature: Uint8Array;
  chunks: number;
  plaintextLength: number;
  /** Container bytes, trailer included. */
  size: number;
}

export interface SignerExpectation {
  /** Raw 32-byte Ed25519 public key the signature must verify under. */
  expectedSignerKey: Uint8Array;
  /** When set, the header's signer DID URL must equal it. */
  expectedSigner?: string;
}

export function checkSigner(header: ContainerHeader, expect: SignerExpectation): void {
  if (expect.expectedSigner !== undefined && header.signer !== expect.expectedSigner) {
    refuse(fail('SOV_DATAPLANE_UNEXPECTED_SIGNER', `the container is signed by ${header.signer}, expected ${expect.expectedSigner}`));
  }
}

export function checkTrailer(
  header: ContainerHeader,
  trailer: Extract<ContainerPart, { kind: 'trailer' }>,
  crypto: BulkCrypto,
  expect: SignerExpectation,
): ContainerSummary {
  if (!Buffer.from(trailer.computedDigest).equals(trailer.statedDigest)) {
    refuse(fail('SOV_DATAPLANE_DIGEST_MISMATCH', 'the trailer digest does not match the header and chunks received'));
  }
  if (!crypto.verifyDetached(trailer.signature, signedMessage(trailer.computedDigest), expect.expectedSignerKey)) {
    refuse(fail('SOV_DATAPLANE_SIGNATURE_INVALID', `the trailer signature does not verify under the expected key for ${header.signer}`));
  }
  return {
    header,
    digest: trailer.computedDigest,
    signature: trailer.signature,
    chunks: trailer.chunks,
    plaintextLength: trailer.plaintextLength,
    size: trailer.size,
  };
}
