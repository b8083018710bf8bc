/**
 * The part of sodium-native's API we use, typed (the package ships no declarations).
 * Argument order follows libsodium: output buffer first. Functions throw on misuse
 * (wrong buffer sizes); `*_decrypt` also throws when the tag does not verify.
 */
type Bytes = Uint8Array;

export interface SodiumNative {
  crypto_pwhash_SALTBYTES: number;
  crypto_pwhash_ALG_ARGON2ID13: number;
  crypto_pwhash_OPSLIMIT_MIN: number;
  crypto_pwhash_MEMLIMIT_MIN: number;
  crypto_pwhash_OPSLIMIT_INTERACTIVE: number;
  crypto_pwhash_MEMLIMIT_INTERACTIVE: number;
  crypto_pwhash_OPSLIMIT_MODERATE: number;
  crypto_pwhash_MEMLIMIT_MODERATE: number;
  crypto_aead_xchacha20poly1305_ietf_KEYBYTES: number;
  crypto_aead_xchacha20poly1305_ietf_NPUBBYTES: number;
  crypto_aead_xchacha20poly1305_ietf_ABYTES: number;
  crypto_sign_PUBLICKEYBYTES: number;
  crypto_sign_SECRETKEYBYTES: number;
  crypto_sign_BYTES: number;
  crypto_box_PUBLICKEYBYTES: number;
  crypto_box_SECRETKEYBYTES: number;
  crypto_box_SEALBYTES: number;

  sodium_malloc(length: number): Buffer;
  sodium_memzero(buffer: Bytes): void;
  sodium_memcmp(a: Bytes, b: Bytes): boolean;
  randombytes_buf(buffer: Bytes): void;
  crypto_pwhash_async(out: Bytes, passwd: Bytes, salt: Bytes, opslimit: number, memlimit: number, alg: number): Promise<void>;
  crypto_aead_xchacha20poly1305_ietf_encrypt(c: Bytes, m: Bytes, ad: Bytes | null, nsec: null, npub: Bytes, k: Bytes): number;
  crypto_aead_xchacha20poly1305_ietf_decrypt(m: Bytes, nsec: null, c: Bytes, ad: Bytes | null, npub: Bytes, k: Bytes): number;
  crypto_sign_keypair(pk: Bytes, sk: Bytes): void;
  crypto_sign_detached(sig: Bytes, m: Bytes, sk: Bytes): void;
  crypto_sign_verify_detached(sig: Bytes, m: Bytes, pk: Bytes): boolean;
  crypto_box_keypair(pk: Bytes, sk: Bytes): void;
  crypto_box_seal(c: Bytes, m: Bytes, pk: Bytes): void;
  crypto_box_seal_open(m: Bytes, c: Bytes, pk: Bytes, sk: Bytes): boolean;
  crypto_generichash(out: Bytes, input: Bytes, key?: Bytes): void;
}
