/**
 * Opening a received dataset that came with a verified anonymisation report: the decrypted
 * bytes must be exactly the ones the report describes (its `output.sha256`). The hash runs
 * alongside the container's own digest and signature checks, and a mismatch throws at the end
 * of the iteration like any other integrity failure, so an export keeps nothing it cannot
 * vouch for (the plaintext is unverified until the iteration ends, see open-dataset.ts).
 */
import { createHash } from 'node:crypto';
import { DomainError, fail } from '../../errors/index.js';
import type { VerifiedOutput } from '../container/reader.js';

export function checkedAgainstReport(output: VerifiedOutput, expectedSha256Hex: string): VerifiedOutput {
  return {
    get header() {
      return output.header;
    },
    get verified() {
      return output.verified;
    },
    async *[Symbol.asyncIterator]() {
      const hash = createHash('sha256');
      for await (const piece of output) {
        hash.update(piece);
        yield piece;
      }
      const found = hash.digest('hex');
      if (found !== expectedSha256Hex) {
        throw new DomainError(fail('SOV_ANON_REPORT_INVALID', `the decrypted dataset (sha256:${found}) is not the output the anonymisation report describes (sha256:${expectedSha256Hex})`));
      }
    },
  };
}
