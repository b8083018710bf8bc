/**
 * BulkCrypto over `libsodium-wrappers` (libsodium compiled to WebAssembly): the portable
 * fallback where `sodium-native` cannot load. Same primitives, same bytes.
 */
import sodium from 'libsodium-wrappers';
import type { BulkCrypto, ChunkTag, IncrementalHash } from '../ports.js';

export async function createLibsodiumWrappersCrypto(): Promise<BulkCrypto> {
  await sodium.ready;
  const TAG_MESSAGE = sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
  const TAG_FINAL = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL;
  const tagOf = (tag: ChunkTag): number => (tag === 'final' ? TAG_FINAL : TAG_MESSAGE);

  return {
    binding: 'libsodium-wrappers',
    initPush(key) {
      const { state, header } = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
      return {
        header,
        stream: {
          push(out, message, ad, tag) {
            out.set(sodium.crypto_secretstream_xchacha20poly1305_push(state, message, ad, tagOf(tag)));
          },
        },
      };
    },
    initPull(header, key) {
      const state = sodium.crypto_secretstream_xchacha20poly1305_init_pull(header, key);
      return {
        pull(ciphertext, ad) {
          if (ciphertext.length < sodium.crypto_secretstream_xchacha20poly1305_ABYTES) return undefined;
          let result: { message: Uint8Array; tag: number } | false;
          try {
            result = sodium.crypto_secretstream_xchacha20poly1305_pull(state, ciphertext, ad, 'uint8array');
          } catch {
            return undefined;
          }
          if (result === false) return undefined;
          const tag: ChunkTag | 'other' = result.tag === TAG_FINAL ? 'final' : result.tag === TAG_MESSAGE ? 'message' : 'other';
          return { message: result.message, tag };
        },
      };
    },
    createHash(): IncrementalHash {
      const state = sodium.crypto_generichash_init(null, 32);
      return {
        update: (bytes) => sodium.crypto_generichash_update(state, bytes),
        digest: () => sodium.crypto_generichash_final(state, 32),
      };
    },
    verifyDetached(signature, message, publicKey) {
      if (signature.length !== 64 || publicKey.length !== 32) return false;
      return sodium.crypto_sign_verify_detached(signature, message, publicKey);
    },
  };
}
