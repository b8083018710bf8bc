/**
 * How every `sovc` command that needs keys finds and opens a partner's existing keystore:
 * `<data dir>/keystore.sealed` (or `--keystore`), its passphrase from SOVC_KEYSTORE_PASSPHRASE
 * or a file (`--passphrase-file`, default `<data dir>/secrets/keystore-passphrase`). Commands
 * never create a keystore: `sovc init` (through the composition root) does.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock } from '../clock/index.js';
import { DomainError, fail, unwrap } from '../errors/index.js';
import { openKms, type FileKms } from '../kms/index.js';

export interface KeystoreFiles {
  keystore: string;
  passphraseFile: string;
}

/** The keystore and passphrase files of `dataDir`, unless given explicitly. */
export function keystoreFiles(dataDir: string | undefined, explicit: Partial<KeystoreFiles>): KeystoreFiles {
  if (dataDir === undefined && (explicit.keystore === undefined || explicit.passphraseFile === undefined)) {
    throw new DomainError(fail('SOV_BAD_REQUEST', 'say where the keystore is: --data-dir DIR (or SOVC_DATA_DIR)'));
  }
  return {
    keystore: explicit.keystore ?? join(dataDir as string, 'keystore.sealed'),
    passphraseFile: explicit.passphraseFile ?? join(dataDir as string, 'secrets', 'keystore-passphrase'),
  };
}

export async function readKeystorePassphrase(file: string, env: Readonly<Record<string, string | undefined>>): Promise<string> {
  const fromEnv = env['SOVC_KEYSTORE_PASSPHRASE']?.trim();
  if (fromEnv) return fromEnv;
  const fromFile = (await readFile(file, 'utf8').catch(() => '')).trim();
  if (fromFile === '') {
    throw new DomainError(fail('SOV_KMS_PASSPHRASE_MISSING', `no keystore passphrase: set SOVC_KEYSTORE_PASSPHRASE or --passphrase-file (cannot read ${file})`));
  }
  return fromFile;
}

/** Opens the existing keystore; the caller closes it (wiping its keys from memory). */
export async function openExistingKeystore(files: KeystoreFiles, env: Readonly<Record<string, string | undefined>>): Promise<FileKms> {
  const passphrase = await readKeystorePassphrase(files.passphraseFile, env);
  return unwrap(await openKms({ path: files.keystore, passphrase, clock: systemClock }));
}
