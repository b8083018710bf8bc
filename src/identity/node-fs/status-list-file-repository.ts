/**
 * StatusListRepository adapter that keeps every list of one issuer in a JSON file. Writes are
 * atomic (temp file, fsync, rename) so a crash leaves the previous state, never a torn file:
 * losing an allocation could hand the same index to two credentials.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StatusListRepository, StatusListState } from '../status-list/status-list-state.js';

type StoredLists = Record<string, StatusListState>;

function readAll(path: string): StoredLists {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as StoredLists;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
}

function writeAtomically(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}

export function createJsonFileStatusListRepository(options: { path: string }): StatusListRepository {
  return {
    load: async (listUrl) => readAll(options.path)[listUrl],
    save: async (state) => {
      const all = readAll(options.path);
      all[state.listUrl] = state;
      writeAtomically(options.path, JSON.stringify(all));
    },
  };
}
