/** KeystoreFileSystem on node:fs/promises, with the fsyncs that make replacement durable. */
import { open, readFile, link, rename, rm, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { KeystoreFileSystem } from '../keystore/file-system.js';

async function read(path: string): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function writeNewFile(path: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const handle = await open(path, 'wx', 0o600);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncParentDirectory(path: string): Promise<void> {
  const handle = await open(dirname(path), 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export const nodeKeystoreFileSystem: KeystoreFileSystem = {
  read,
  writeNewFile,
  rename,
  link,
  remove: (path) => rm(path, { force: true }),
  syncParentDirectory,
};
