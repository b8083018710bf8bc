/**
 * Data keys (DEKs) at rest: each is sealed under the key-encryption key (KEK) on its own, with its
 * key id as associated data so a wrapped key cannot be moved to another id. Destroying a DEK
 * drops its wrapped bytes from the keystore, which is then rewritten: no copy is left to unwrap.
 */
import { fail, ok, type Result } from '../errors/index.js';
import type { CryptoPrimitives } from './primitives.js';
import type { KeyRingSnapshot, StoredKey } from './keystore/body.js';
import { findKey } from './key-ring.js';

export const DATA_KEY_ALGORITHM = 'XChaCha20-Poly1305';

function context(keyId: string): Uint8Array {
  return new TextEncoder().encode(`sov-kms/data-key/v1:${keyId}`);
}

export function wrapDataKey(crypto: CryptoPrimitives, kek: Uint8Array, keyId: string, dataKey: Uint8Array): Uint8Array {
  return crypto.seal(dataKey, context(keyId), kek);
}

/** The stored data key `keyId`, or the reason it cannot be used. */
export function usableDataKey(ring: KeyRingSnapshot, keyId: string): Result<StoredKey> {
  const key = findKey(ring, keyId);
  if (key === undefined || key.info.kind !== 'data') return fail('SOV_KMS_KEY_NOT_FOUND', `no data key ${keyId}`, { keyId });
  if (key.info.status === 'destroyed' || key.wrapped === undefined) {
    return fail('SOV_KMS_KEY_DESTROYED', `data key ${keyId} was destroyed at ${key.info.destroyedAt ?? 'an unknown time'}`, { keyId });
  }
  return ok(key);
}

/** Secret: the clear data key in guarded memory; the caller zeroes it. */
export function unwrapDataKey(crypto: CryptoPrimitives, kek: Uint8Array, key: StoredKey): Uint8Array {
  const clear = key.wrapped && crypto.open(key.wrapped, context(key.info.keyId), kek);
  // The whole keystore authenticated when it was opened, so a failure here is a bug, not input.
  if (!clear) throw new Error(`data key ${key.info.keyId} does not unwrap under the key-encryption key`);
  return clear;
}

/** Runs `use` with a secret and zeroes the secret afterwards, whatever happens. */
export async function lend<T>(crypto: CryptoPrimitives, secret: Uint8Array, use: (key: Uint8Array) => Promise<T>): Promise<T> {
  try {
    return await use(secret);
  } finally {
    crypto.zero(secret);
  }
}
