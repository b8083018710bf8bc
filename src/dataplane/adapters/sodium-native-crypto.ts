/**
 * BulkCrypto over `sodium-native` (libsodium compiled natively: ~4× the WebAssembly build's
 * secretstream rate here). Loaded with `createRequire` so a missing or broken native module
 * is an ordinary failure the selector can fall back from.
 */
import { createRequire } from 'node:module';
import type { BulkCrypto, ChunkTag, IncrementalHash, SecretStreamPull, SecretStreamPush } from '../ports.js';

/** The slice of sodium-native's API used here (the package ships no type declarations). */
interface SodiumNative {
  crypto_secretstream_xchacha20poly1305_STATEBYTES: number;
  crypto_secretstream_xchacha20poly1305_HEADERBYTES: number;
  crypto_secretstream_xchacha20poly1305_TAG_MESSAGE: number;
  crypto_secretstream_xchacha20poly1305_TAG_FINAL: number;
  crypto_generichash_STATEBYTES: number;
  crypto_secretstream_xchacha20poly1305_init_push(state: Uint8Array, header: Uint8Array, key: Uint8Array): void;
  crypto_secretstream_xchacha20poly1305_push(state: Uint8Array, c: Uint8Array, m: Uint8Array, ad: Uint8Array | null, tag: number): number;
  crypto_secretstream_xchacha20poly1305_init_pull(state: Uint8Array, header: Uint8Array, key: Uint8Array): void;
  crypto_secretstream_xchacha20poly1305_pull(state: Uint8Array, m: Uint8Array, tag: Uint8Array, c: Uint8Array, ad: Uint8Array | null): number;
  crypto_generichash_init(state: Uint8Array, key: Uint8Array | null, outputLength: number): void;
  crypto_generichash_update(state: Uint8Array, input: Uint8Array): void;
  crypto_generichash_final(state: Uint8Array, output: Uint8Array): void;
  crypto_sign_verify_detached(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
}

const ABYTES = 17;

/** Throws when the native module cannot be loaded on this platform. */
export function createSodiumNativeCrypto(): BulkCrypto {
  const na = createRequire(import.meta.url)('sodium-native') as SodiumNative;
  const TAG_MESSAGE = na.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
  const TAG_FINAL = na.crypto_secretstream_xchacha20poly1305_TAG_FINAL;
  const tagOf = (tag: ChunkTag): number => (tag === 'final' ? TAG_FINAL : TAG_MESSAGE);

  return {
    binding: 'sodium-native',
    initPush(key) {
      const state = Buffer.alloc(na.crypto_secretstream_xchacha20poly1305_STATEBYTES);
      const header = Buffer.alloc(na.crypto_secretstream_xchacha20poly1305_HEADERBYTES);
      na.crypto_secretstream_xchacha20poly1305_init_push(state, header, key);
      const stream: SecretStreamPush = {
        push(out, message, ad, tag) {
          na.crypto_secretstream_xchacha20poly1305_push(state, out, message, ad, tagOf(tag));
        },
      };
      return { header, stream };
    },
    initPull(header, key) {
      const state = Buffer.alloc(na.crypto_secretstream_xchacha20poly1305_STATEBYTES);
      na.crypto_secretstream_xchacha20poly1305_init_pull(state, header, key);
      const tag = Buffer.alloc(1);
      const stream: SecretStreamPull = {
        pull(ciphertext, ad) {
          if (ciphertext.length < ABYTES) return undefined;
          const message = Buffer.allocUnsafe(ciphertext.length - ABYTES);
          try {
            na.crypto_secretstream_xchacha20poly1305_pull(state, message, tag, ciphertext, ad);
          } catch {
            return undefined; // sodium-native throws on a forged or misplaced chunk
          }
          const t = tag[0] === TAG_FINAL ? 'final' : tag[0] === TAG_MESSAGE ? 'message' : 'other';
          return { message, tag: t };
        },
      };
      return stream;
    },
    createHash(): IncrementalHash {
      const state = Buffer.alloc(na.crypto_generichash_STATEBYTES);
      na.crypto_generichash_init(state, null, 32);
      return {
        update: (bytes) => na.crypto_generichash_update(state, bytes),
        digest: () => {
          const out = Buffer.alloc(32);
          na.crypto_generichash_final(state, out);
          return out;
        },
      };
    },
    verifyDetached: (signature, message, publicKey) =>
      signature.length === 64 && publicKey.length === 32 && na.crypto_sign_verify_detached(signature, message, publicKey),
  };
}
