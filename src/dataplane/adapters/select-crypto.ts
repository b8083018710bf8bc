/**
 * Picks the bulk-crypto binding: `sodium-native` when it loads (design.md "Key custody": bulk
 * crypto native), else `libsodium-wrappers`. `prefer` forces one, e.g. to prove either binding
 * opens the other's containers.
 */
import type { BulkCrypto } from '../ports.js';
import { createSodiumNativeCrypto } from './sodium-native-crypto.js';

/** The WebAssembly binding, imported only when asked for: a native process never pays its memory. */
export async function createLibsodiumWrappersCrypto(): Promise<BulkCrypto> {
  const wasm = await import('./libsodium-wrappers-crypto.js');
  return wasm.createLibsodiumWrappersCrypto();
}

export interface LoadCryptoOptions {
  prefer?: BulkCrypto['binding'];
  /** Loads the native binding (default: sodium-native); replaceable to exercise the fallback. */
  loadNative?: () => BulkCrypto;
}

export async function loadBulkCrypto(opts: LoadCryptoOptions = {}): Promise<BulkCrypto> {
  if (opts.prefer === 'libsodium-wrappers') return createLibsodiumWrappersCrypto();
  try {
    return (opts.loadNative ?? createSodiumNativeCrypto)();
  } catch (error) {
    if (opts.prefer === 'sodium-native') throw error;
    return createLibsodiumWrappersCrypto();
  }
}
