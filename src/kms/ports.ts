/**
 * The key-custody port. Every private key and every data key of a partner lives behind it;
 * callers get operations, never private key material (design.md "Key custody").
 *
 * Key ids are local, stable references such as `sig-1`, `enc-2`, `dek-<uuid>`; the DID
 * document uses the signing and agreement ids as fragments (`did:web:…#sig-1`).
 */
import type { Result } from '../errors/index.js';

export type KeyKind = 'signing' | 'agreement' | 'data' | 'derivation';
export type KeyStatus = 'active' | 'retired' | 'destroyed';

export interface KeyInfo {
  keyId: string;
  kind: KeyKind;
  /** `Ed25519` for signing, `X25519` for agreement, `XChaCha20-Poly1305` for data keys. */
  algorithm: string;
  status: KeyStatus;
  createdAt: string;
  retiredAt?: string;
  destroyedAt?: string;
  /** Public key as multibase (Multikey: `z6Mk…` Ed25519, `z6LS…` X25519); absent for symmetric keys. */
  publicKeyMultibase?: string;
  /** Free-form label (e.g. the dataset id a data key protects). */
  label?: string;
}

export interface PublicKey {
  keyId: string;
  /** Raw 32-byte public key. */
  publicKey: Uint8Array;
  publicKeyMultibase: string;
}

export interface Kms {
  /** Public description of every key, including retired and destroyed ones (no secrets). */
  listKeys(): KeyInfo[];

  /** The current Ed25519 signing key (its public half). */
  activeSigningKey(): PublicKey;
  /** The current X25519 key-agreement key (its public half). */
  activeAgreementKey(): PublicKey;
  /** Every signing key still usable for verification (active and retired, not destroyed). */
  verificationKeys(): PublicKey[];
  /** Every agreement key still usable for opening sealed boxes (active and retired). */
  agreementKeys(): PublicKey[];

  /** Ed25519 signature over `message` with the active signing key (or `keyId`). */
  sign(message: Uint8Array, keyId?: string): Promise<{ keyId: string; signature: Uint8Array }>;

  /**
   * Opens a sealed box (libsodium `crypto_box_seal`) addressed to one of our X25519 keys and
   * keeps its content (a data key) inside kms, wrapped by the key-encryption key.
   * Returns the id of the new data key; the clear key never leaves kms.
   */
  importSealedDataKey(sealed: Uint8Array, opts: { label: string; agreementKeyId?: string }): Promise<Result<KeyInfo>>;

  /**
   * Opens a sealed box addressed to us and hands its content to `use` for the duration of
   * the call only (owner-held key release: the key is never stored), then zeroes it.
   */
  withSealedKey<T>(sealed: Uint8Array, use: (key: Uint8Array) => Promise<T>, agreementKeyId?: string): Promise<Result<T>>;

  /** Creates a fresh random data key (DEK), stored wrapped by the key-encryption key. */
  createDataKey(label: string): Promise<KeyInfo>;

  /** Seals data key `keyId` to a recipient's X25519 public key (`crypto_box_seal`). */
  sealDataKeyTo(keyId: string, recipientX25519: Uint8Array): Promise<Result<Uint8Array>>;

  /**
   * Lends the clear data key to `use` (bulk encryption/decryption streams) and zeroes it after.
   * Fails with SOV_KMS_KEY_DESTROYED after `destroyDataKey`.
   */
  withDataKey<T>(keyId: string, use: (key: Uint8Array) => Promise<T>): Promise<Result<T>>;

  /**
   * A keyed hash (BLAKE2b-256, keyed by a sub-key derived from a kms-held root for `context`),
   * e.g. per-agreement pseudonyms: stable within one context, unlinkable across contexts.
   */
  keyedHasher(context: string): Promise<(data: Uint8Array) => Uint8Array>;

  /** Crypto-shreds a data key: afterwards nothing it protected can be decrypted. */
  destroyDataKey(keyId: string): Promise<Result<KeyInfo>>;

  /** Creates a new active key of `kind`; the previous one is kept, retired, for verify/open. */
  rotate(kind: 'signing' | 'agreement'): Promise<KeyInfo>;
}

/** Verification needs no secret: any Ed25519 public key. Provided by the sodium adapter. */
export type VerifySignature = (message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array) => boolean;
