/**
 * The file operations the keystore needs, as a port (node-fs/ implements it; tests inject
 * failures), and the two write protocols built on them. A keystore is never modified in place:
 * the new content goes to a temporary file that is fsynced, then atomically takes the keystore's
 * name, then the directory entry is fsynced. A crash at any point leaves either the old file or
 * the new one, never a mix (POSIX rename(2) atomicity).
 */
export interface KeystoreFileSystem {
  /** The file's bytes, or undefined if it does not exist. */
  read(path: string): Promise<Uint8Array | undefined>;
  /** Creates `path` (failing if it exists) with mode 0600, writes `bytes`, fsyncs and closes it. */
  writeNewFile(path: string, bytes: Uint8Array): Promise<void>;
  /** Atomically replaces `to` with `from`. */
  rename(from: string, to: string): Promise<void>;
  /** Gives `from` the additional name `to`; fails if `to` exists (so creation never clobbers). */
  link(from: string, to: string): Promise<void>;
  remove(path: string): Promise<void>;
  /** fsyncs the directory that holds `path`, making a rename or link durable. */
  syncParentDirectory(path: string): Promise<void>;
}

export type Randomness = (length: number) => Uint8Array;

function temporaryName(path: string, random: Randomness): string {
  const suffix = Array.from(random(6), (b) => b.toString(16).padStart(2, '0')).join('');
  return `${path}.${suffix}.tmp`;
}

async function removeQuietly(files: KeystoreFileSystem, path: string): Promise<void> {
  try {
    await files.remove(path);
  } catch {
    // The temporary file may never have been created; the original error is what matters.
  }
}

/**
 * Replaces the keystore at `path` with `bytes` (write temp + fsync + rename + fsync dir).
 * `onReplaced` runs as soon as the new content holds the name, before the directory fsync, so a
 * caller's in-memory view follows the file even if that last fsync fails (and throws).
 */
export async function replaceAtomically(
  files: KeystoreFileSystem,
  path: string,
  bytes: Uint8Array,
  random: Randomness,
  onReplaced: () => void,
): Promise<void> {
  const temporary = temporaryName(path, random);
  try {
    await files.writeNewFile(temporary, bytes);
    await files.rename(temporary, path);
  } catch (error) {
    await removeQuietly(files, temporary);
    throw error;
  }
  onReplaced();
  await files.syncParentDirectory(path);
}

/** Creates the keystore at `path`; resolves false (writing nothing) if one already exists. */
export async function createExclusively(
  files: KeystoreFileSystem,
  path: string,
  bytes: Uint8Array,
  random: Randomness,
): Promise<boolean> {
  const temporary = temporaryName(path, random);
  await files.writeNewFile(temporary, bytes);
  try {
    await files.link(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await removeQuietly(files, temporary);
  }
  await files.syncParentDirectory(path);
  return true;
}
