/**
 * Key custody. Every private key and data key of this partner is generated and held here, in a
 * keystore file sealed with an Argon2id-derived key (XChaCha20-Poly1305), and used only through
 * operations: sign, open sealed boxes, lend a data key to a callback, keyed hashing, rotate,
 * crypto-shred. Nothing returns a private key, the key-encryption key or a data key in clear.
 * Public helpers: Ed25519 verification, sealing to an X25519 key, Multikey encoding.
 * See design.md "Key custody"; libsodium via sodium-native behind `sodium/`.
 */
export type { Kms, KeyInfo, KeyKind, KeyStatus, PublicKey, VerifySignature } from './ports.js';
export type { KdfParams } from './primitives.js';
export type { KeystoreFileSystem } from './keystore/file-system.js';
export {
  createFileKms,
  initKms,
  openKms,
  keystoreExists,
  DEFAULT_KDF_PARAMS,
  INTERACTIVE_KDF_PARAMS,
  MINIMUM_KDF_PARAMS,
  type FileKms,
  type FileKmsOptions,
} from './file-kms.js';
export { nodeKeystoreFileSystem } from './node-fs/file-system.js';
export { verifySignature, sealTo } from './sodium/primitives.js';
export { encodeMultikey, decodeMultikey, encodeBase58btc, decodeBase58btc, type MultikeyType } from './multikey.js';
