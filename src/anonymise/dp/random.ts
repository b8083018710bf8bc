/**
 * Uniform randomness for noise mechanisms, injected so tests are reproducible. Both sources
 * draw from node:crypto: production from the OS CSPRNG, tests from a ChaCha20 keystream keyed
 * by SHA-256 of a seed. Values are (x + 0.5) / 2^53 for a 53-bit integer x, so they lie in the
 * open interval (0, 1): never exactly 0 or 1, as the inverse-CDF samplers require.
 */
import { createCipheriv, createHash, randomFillSync } from 'node:crypto';

export interface UniformSource {
  /** A uniform double in the open interval (0, 1). */
  next(): number;
}

const BLOCK = 64 * 1024;
const TWO_POW_53 = 2 ** 53;

function fromWords(fill: (buffer: Buffer) => void): UniformSource {
  const buffer = Buffer.alloc(BLOCK);
  let at = BLOCK;
  return {
    next() {
      if (at + 8 > BLOCK) {
        fill(buffer);
        at = 0;
      }
      const high = buffer.readUInt32LE(at) >>> 5;
      const low = buffer.readUInt32LE(at + 4) >>> 6;
      at += 8;
      return (high * 2 ** 26 + low + 0.5) / TWO_POW_53;
    },
  };
}

export function cryptoUniform(): UniformSource {
  return fromWords((buffer) => randomFillSync(buffer));
}

/** Deterministic for a given seed (tests, reproducible synthetic data); not for production noise. */
export function seededUniform(seed: string | number): UniformSource {
  const key = createHash('sha256').update(`sovc-seed:${String(seed)}`).digest();
  const cipher = createCipheriv('chacha20', key, Buffer.alloc(16));
  const zeros = Buffer.alloc(BLOCK);
  return fromWords((buffer) => cipher.update(zeros).copy(buffer));
}
