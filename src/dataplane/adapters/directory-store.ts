/**
 * CiphertextStore in a local directory: `objects/<id>` holds committed containers,
 * `pending/<id>` the bytes of a put in progress or interrupted. A put writes the pending file,
 * fsyncs it, renames it into `objects/` and fsyncs the directory, so a crash never leaves a
 * half-written object under its final name. Writes are gathered (gathered-writer.ts): a
 * container arrives as 4-byte lengths and 64 KiB records, and one write per piece costs more
 * than the crypto.
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { DomainError, fail, ok, type Result } from '../../errors/index.js';
import type { ByteRange, CiphertextStore, StoredCiphertext } from '../ports.js';
import { GatheredWriter } from './gathered-writer.js';

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;
/**
 * Read size when serving an object (also the plain-HTTP baseline's in the transfer bench).
 * Bigger reads cost less CPU per byte, but each read is a fresh buffer that V8 frees only at
 * a scavenge, which JS allocation triggers every ~1 MiB (--max-semi-space-size=1) or the
 * buffers themselves at 32 MiB. Serving provider, spent read buffers / peak RSS (compiled
 * bench child, load 5-7): 64 KiB ~14 / 139-146 MB, 128 KiB ~25 / 138-144 MB, 256 KiB ~35 /
 * 148-157 MB, 1 MiB ~40 / 153-161 MB. At 128 KiB the pull ran up to ~10% faster, but its
 * peak reached 156-162 MB in runs at load 7-9 (background sweeping of the buffers falls
 * behind), so 64 KiB.
 */
export const READ_BYTES = 64 * 1024;

export interface DirectoryStoreOptions {
  dir: string;
}

export async function createDirectoryStore(opts: DirectoryStoreOptions): Promise<CiphertextStore> {
  const objects = join(opts.dir, 'objects');
  const pending = join(opts.dir, 'pending');
  await mkdir(objects, { recursive: true });
  await mkdir(pending, { recursive: true });
  const sizeOf = async (path: string): Promise<number | undefined> => (await stat(path).catch(() => undefined))?.size;

  return {
    async put(id, source, putOpts = {}) {
      if (!ID_PATTERN.test(id)) return badId(id);
      if ((await sizeOf(join(objects, id))) !== undefined) return fail('SOV_DATAPLANE_OBJECT_EXISTS', `ciphertext object ${id} already exists`);
      return putObject({ id, objects, pending, source, resumeAt: putOpts.resumeAt ?? 0 });
    },
    async pendingSize(id) {
      return ID_PATTERN.test(id) ? sizeOf(join(pending, id)) : undefined;
    },
    readPending: (id, range) => readRange(pending, id, range),
    get: (id, range) => readRange(objects, id, range),
    async has(id) {
      return ID_PATTERN.test(id) && (await sizeOf(join(objects, id))) !== undefined;
    },
    async delete(id) {
      if (!ID_PATTERN.test(id)) return false;
      const existed = (await sizeOf(join(objects, id))) !== undefined || (await sizeOf(join(pending, id))) !== undefined;
      await rm(join(objects, id), { force: true });
      await rm(join(pending, id), { force: true });
      return existed;
    },
    async list() {
      return (await readdir(objects)).filter((name) => ID_PATTERN.test(name)).sort();
    },
  };
}

function badId(id: string): Result<never> {
  return fail('SOV_DATAPLANE_OBJECT_ID_INVALID', `"${id}" is not a valid object id (letters, digits, . _ : -; at most 200)`);
}

async function readRange(dir: string, id: string, range: ByteRange = {}): Promise<Result<AsyncIterable<Uint8Array>>> {
  if (!ID_PATTERN.test(id)) return badId(id);
  const size = (await stat(join(dir, id)).catch(() => undefined))?.size;
  if (size === undefined) return fail('SOV_DATAPLANE_OBJECT_NOT_FOUND', `no ciphertext object ${id}`);
  const start = range.start ?? 0;
  const end = range.end ?? size;
  if (start < 0 || end > size || start > end) return fail('SOV_DATAPLANE_RANGE_INVALID', `bytes ${start}..${end} are outside object ${id} (${size} bytes)`);
  if (start === end) return ok(noBytes());
  return ok(createReadStream(join(dir, id), { start, end: end - 1, highWaterMark: READ_BYTES }));
}

async function* noBytes(): AsyncGenerator<Uint8Array> {}

interface PutJob {
  id: string;
  objects: string;
  pending: string;
  source: AsyncIterable<Uint8Array>;
  resumeAt: number;
}

async function putObject(job: PutJob): Promise<Result<StoredCiphertext>> {
  const path = join(job.pending, job.id);
  const kept = await keepPending(path, job.resumeAt);
  if (!kept.ok) return kept;
  let written: Result<number>;
  try {
    written = await appendSource(kept.value, job);
  } finally {
    await kept.value.close();
  }
  if (!written.ok) return written;
  try {
    await rename(path, join(job.objects, job.id));
    await syncDirectory(job.objects);
  } catch (error) {
    return storeIo(error);
  }
  return ok({ id: job.id, size: written.value });
}

/**
 * Appends the source to the pending file and fsyncs it. A failing source yields its own
 * failure (a DomainError's) or is rethrown (e.g. a network error); the bytes that arrived
 * before it are written first and stay pending, so a resume need not fetch them again.
 */
async function appendSource(file: FileHandle, job: PutJob): Promise<Result<number>> {
  const writer = new GatheredWriter(file, job.resumeAt);
  const iterator = job.source[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<Uint8Array>;
    try {
      next = await iterator.next();
    } catch (error) {
      const flushed = await writer.flush();
      if (error instanceof DomainError) return error.failure;
      if (!flushed.ok) return flushed;
      throw error;
    }
    if (next.done === true) break;
    const added = await writer.add(next.value);
    if (!added.ok) {
      await iterator.return?.();
      return added;
    }
  }
  const flushed = await writer.flush();
  if (!flushed.ok) return flushed;
  try {
    await file.sync();
  } catch (error) {
    return storeIo(error);
  }
  return ok(writer.position);
}

function storeIo(error: unknown): Result<never> {
  return fail('SOV_DATAPLANE_STORE_IO', `the ciphertext store failed: ${(error as Error).message}`);
}

/** Opens the pending file, keeping its first `resumeAt` bytes. */
async function keepPending(path: string, resumeAt: number): Promise<Result<FileHandle>> {
  if (resumeAt === 0) return ok(await open(path, 'w'));
  const have = (await stat(path).catch(() => undefined))?.size ?? 0;
  if (resumeAt < 0 || resumeAt > have) return fail('SOV_DATAPLANE_RANGE_INVALID', `cannot resume at byte ${resumeAt}: ${have} bytes are pending`);
  const file = await open(path, 'r+');
  await file.truncate(resumeAt);
  return ok(file);
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
