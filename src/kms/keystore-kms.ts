/**
 * Opening and creating a sealed keystore, and persisting every change to it. Changes are
 * serialised through one promise queue (concurrent createDataKey calls all land) and each is
 * written atomically before it becomes visible in memory.
 */
import { fail, ok, type Result } from '../errors/index.js';
import { isoTime, uuidGenerator, type Clock, type IdGenerator } from '../clock/index.js';
import type { CryptoPrimitives, KdfParams } from './primitives.js';
import type { KeystoreFileSystem } from './keystore/file-system.js';
import { createExclusively, replaceAtomically } from './keystore/file-system.js';
import { encodeKeystoreFile, newKeystore, openKeystoreFile, type UnlockedKeystore } from './keystore/envelope.js';
import { decodeBody, encodeBody, type KeyRingSnapshot } from './keystore/body.js';
import { generateKeyRing } from './key-ring.js';
import { buildKms, type KeystoreKms, type KmsContext } from './kms-operations.js';

export interface KeystoreKmsOptions {
  /** Path of the sealed keystore file. */
  path: string;
  passphrase: string;
  clock: Clock;
  /** Argon2id cost for a new keystore; an existing one keeps the cost written in its header. */
  kdf: KdfParams;
  crypto: CryptoPrimitives;
  files: KeystoreFileSystem;
  /** Source of data-key ids (`dek-<uuid>`); defaults to random UUIDs. */
  ids?: IdGenerator;
}

/** The persistence half of KmsContext: the unlocked keystore and a serialised writer. */
function persistence(options: KeystoreKmsOptions, keystore: UnlockedKeystore, ring: KeyRingSnapshot): KmsContext {
  const { crypto, files, path } = options;
  let queue: Promise<unknown> = Promise.resolve();
  const context: KmsContext = {
    crypto,
    ring,
    now: () => isoTime(options.clock),
    newDataKeyId: () => `dek-${(options.ids ?? uuidGenerator).urn().replace(/^urn:uuid:/, '')}`,
    serialised<T>(task: () => Promise<T>): Promise<T> {
      const run = queue.then(task, task);
      queue = run.catch(() => undefined);
      return run;
    },
    async commit(next: KeyRingSnapshot): Promise<void> {
      const body = encodeBody(crypto, next);
      try {
        await replaceAtomically(files, path, encodeKeystoreFile(crypto, keystore, body), crypto.randomBytes, () => {
          context.ring = next;
        });
      } finally {
        crypto.zero(body);
      }
    },
    forget: () => crypto.zero(keystore.fileKey),
  };
  return context;
}

function checkPassphrase(passphrase: string, path: string): Result<void> {
  if (passphrase.length > 0) return ok(undefined);
  return fail('SOV_KMS_PASSPHRASE_MISSING', `an empty passphrase cannot protect keystore ${path}`, { path });
}

async function readKeystore(files: KeystoreFileSystem, path: string): Promise<Result<Uint8Array | undefined>> {
  try {
    return ok(await files.read(path));
  } catch (error) {
    return fail('SOV_KMS_KEYSTORE_UNREADABLE', `cannot read keystore ${path}: ${(error as Error).message}`, { path });
  }
}

/** Creates a new keystore with fresh keys; refuses (SOV_KMS_KEYSTORE_EXISTS) to replace one. */
export async function initKeystoreKms(options: KeystoreKmsOptions): Promise<Result<KeystoreKms>> {
  const { crypto, path } = options;
  const usable = checkPassphrase(options.passphrase, path);
  if (!usable.ok) return usable;
  const keystore = await newKeystore(crypto, options.passphrase, options.kdf);
  const ring = generateKeyRing(crypto, isoTime(options.clock));
  const body = encodeBody(crypto, ring);
  let created: boolean;
  try {
    created = await createExclusively(options.files, path, encodeKeystoreFile(crypto, keystore, body), crypto.randomBytes);
  } finally {
    crypto.zero(body);
  }
  if (!created) return fail('SOV_KMS_KEYSTORE_EXISTS', `keystore ${path} already exists; open it instead`, { path });
  return ok(buildKms(persistence(options, keystore, ring)));
}

/** Opens an existing keystore; never writes to it unless an operation changes a key. */
export async function openKeystoreKms(options: KeystoreKmsOptions): Promise<Result<KeystoreKms>> {
  const { crypto, path } = options;
  const usable = checkPassphrase(options.passphrase, path);
  if (!usable.ok) return usable;
  const file = await readKeystore(options.files, path);
  if (!file.ok) return file;
  if (file.value === undefined) return fail('SOV_KMS_KEYSTORE_NOT_FOUND', `no keystore at ${path}`, { path });
  const opened = await openKeystoreFile(crypto, file.value, options.passphrase, path);
  if (!opened.ok) return opened;
  const { body, ...keystore } = opened.value;
  const ring = decodeBody(crypto, body, path);
  crypto.zero(body);
  if (!ring.ok) {
    crypto.zero(keystore.fileKey);
    return ring;
  }
  return ok(buildKms(persistence(options, keystore, ring.value)));
}

/** Opens the keystore at `path`, creating it (with new keys) if there is no file yet. */
export async function openOrCreateKeystoreKms(options: KeystoreKmsOptions): Promise<Result<KeystoreKms>> {
  const file = await readKeystore(options.files, options.path);
  if (!file.ok) return file;
  if (file.value !== undefined) return openKeystoreKms(options);
  const created = await initKeystoreKms(options);
  // Lost a race with another creator: open what it wrote.
  return !created.ok && created.code === 'SOV_KMS_KEYSTORE_EXISTS' ? openKeystoreKms(options) : created;
}
