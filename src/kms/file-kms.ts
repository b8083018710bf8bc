/**
 * The file-backed kms with its production adapters plugged in: libsodium (sodium-native) for
 * the cryptography and node:fs for the keystore file.
 */
import type { Result } from '../errors/index.js';
import type { Clock, IdGenerator } from '../clock/index.js';
import type { KdfParams } from './primitives.js';
import type { KeystoreFileSystem } from './keystore/file-system.js';
import { initKeystoreKms, openKeystoreKms, openOrCreateKeystoreKms, type KeystoreKmsOptions } from './keystore-kms.js';
import type { KeystoreKms } from './kms-operations.js';
import { sodiumKdfPresets, sodiumPrimitives } from './sodium/primitives.js';
import { nodeKeystoreFileSystem } from './node-fs/file-system.js';

/**
 * Argon2id cost for new keystores: libsodium's MODERATE preset (3 passes, 256 MiB; 0.5-1.5 s on
 * our 2-core VM, see test/bench/kms.bench.ts). The keystore is unlocked once per start, so we can
 * afford the stronger preset rather than INTERACTIVE (2 passes, 64 MiB).
 */
export const DEFAULT_KDF_PARAMS: KdfParams = sodiumKdfPresets.moderate;
/** libsodium's INTERACTIVE preset, for machines that cannot spare 256 MiB at start. */
export const INTERACTIVE_KDF_PARAMS: KdfParams = sodiumKdfPresets.interactive;
/** The smallest cost libsodium accepts: tests only, never a real keystore. */
export const MINIMUM_KDF_PARAMS: KdfParams = sodiumKdfPresets.minimum;

export interface FileKmsOptions {
  /** Path of the sealed keystore file (created with mode 0600). */
  path: string;
  passphrase: string;
  clock: Clock;
  /** Argon2id cost for a new keystore (default DEFAULT_KDF_PARAMS). */
  kdf?: KdfParams;
  ids?: IdGenerator;
  /** Replaces node:fs (tests inject failing writes to simulate a crash). */
  files?: KeystoreFileSystem;
}

export type FileKms = KeystoreKms;

function withAdapters(options: FileKmsOptions): KeystoreKmsOptions {
  const resolved: KeystoreKmsOptions = {
    path: options.path,
    passphrase: options.passphrase,
    clock: options.clock,
    kdf: options.kdf ?? DEFAULT_KDF_PARAMS,
    crypto: sodiumPrimitives,
    files: options.files ?? nodeKeystoreFileSystem,
  };
  if (options.ids) resolved.ids = options.ids;
  return resolved;
}

/** Opens the keystore at `options.path`, creating it with fresh keys if it does not exist. */
export function createFileKms(options: FileKmsOptions): Promise<Result<FileKms>> {
  return openOrCreateKeystoreKms(withAdapters(options));
}

/** Creates a new keystore; fails with SOV_KMS_KEYSTORE_EXISTS rather than replace one. */
export function initKms(options: FileKmsOptions): Promise<Result<FileKms>> {
  return initKeystoreKms(withAdapters(options));
}

/** Opens an existing keystore; fails with SOV_KMS_KEYSTORE_NOT_FOUND if there is none. */
export function openKms(options: FileKmsOptions): Promise<Result<FileKms>> {
  return openKeystoreKms(withAdapters(options));
}

export async function keystoreExists(path: string, files: KeystoreFileSystem = nodeKeystoreFileSystem): Promise<boolean> {
  return (await files.read(path)) !== undefined;
}
