/**
 * Picks the bulk-crypto binding: `sodium-native` when it loads (design.md "Key custody": bulk
 * crypto native), else `libsodium-wrappers`. `prefer` forces one, e.g. to prove either binding
 * opens the other's containers.
 */
import type { BulkCrypto } from '../ports.js';
import { createLibsodiumWrappersCrypto } from './libsodium-wrappers-crypto.js';
import { createSodiumNativeCrypto } from './sodium-native-crypto.js';

export async function loadBulkCrypto(opts: { prefer?: BulkCrypto['binding'] } = {}): Promise<BulkCrypto> {
  if (opts.prefer === 'libsodium-wrappers') return createLibsodiumWrappersCrypto();
  try {
    return createSodiumNativeCrypto();
  } catch (error) {
    if (opts.prefer === 'sodium-native') throw error;
    return createLibsodiumWrappersCrypto();
  }
}
