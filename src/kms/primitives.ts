/**
 * The cryptographic primitives key custody needs, as a port: the domain code in src/kms never
 * imports libsodium; `sodium/primitives.ts` implements this with sodium-native.
 * Buffers marked "secret" come from guarded memory (sodium_malloc) and must be released with
 * `zero` once no longer needed.
 */
export interface KdfParams {
  /** Argon2id passes (crypto_pwhash opslimit). */
  opsLimit: number;
  /** Argon2id memory in bytes (crypto_pwhash memlimit). */
  memLimit: number;
}

export interface KeyPair {
  publicKey: Uint8Array;
  /** Secret. */
  secretKey: Uint8Array;
}

export interface CryptoPrimitives {
  readonly saltBytes: number;
  readonly symmetricKeyBytes: number;
  /** Secret: guarded memory of `length` bytes, zero-filled. */
  secureAlloc(length: number): Uint8Array;
  zero(secret: Uint8Array): void;
  randomBytes(length: number): Uint8Array;
  /** Secret: `length` random bytes generated straight into guarded memory (a new symmetric key). */
  randomSecret(length: number): Uint8Array;
  equalConstantTime(a: Uint8Array, b: Uint8Array): boolean;
  /** Secret: Argon2id(passphrase, salt), `length` bytes; runs off the event loop. */
  deriveFromPassphrase(passphrase: Uint8Array, salt: Uint8Array, params: KdfParams, length: number): Promise<Uint8Array>;
  /** XChaCha20-Poly1305-IETF; returns nonce (24 bytes) followed by ciphertext and tag. */
  seal(plaintext: Uint8Array, associatedData: Uint8Array, key: Uint8Array): Uint8Array;
  /** Secret: the plaintext, or undefined if the tag does not verify. */
  open(sealed: Uint8Array, associatedData: Uint8Array, key: Uint8Array): Uint8Array | undefined;
  generateSigningKeyPair(): KeyPair;
  sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array;
  verify(message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean;
  generateAgreementKeyPair(): KeyPair;
  /** crypto_box_seal: anonymous sender, only the holder of the X25519 secret key opens it. */
  sealTo(recipientPublicKey: Uint8Array, plaintext: Uint8Array): Uint8Array;
  /** Secret: the content of a sealed box, or undefined if it is not addressed to this key pair. */
  openSealed(sealed: Uint8Array, keyPair: KeyPair): Uint8Array | undefined;
  /** BLAKE2b with an optional key (16..64 bytes); `length` 16..64 bytes. */
  hash(data: Uint8Array, length: number, key?: Uint8Array): Uint8Array;
}
