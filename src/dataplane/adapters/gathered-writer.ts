/**
 * Appends pieces to a file in gathered writes of about 256 KiB: one `writev` of the pieces as
 * they are (no copy into a bigger buffer: allocating and filling fresh buffers cost more than
 * the copy itself, and their garbage is memory the process holds), with one write in
 * flight while the next is gathered, so whatever produces the pieces (encryption,
 * verification, the network) overlaps the disk. Every 32 MiB a datasync starts in the
 * background, so the disk writes out while more is produced instead of all at the final
 * fsync (the kernel would otherwise hold hundreds of MB dirty until then). Pieces must not
 * change once added.
 */
import type { FileHandle } from 'node:fs/promises';
import { fail, ok, type Result } from '../../errors/index.js';

/**
 * Small enough that few pieces are alive at once (pieces alive at a scavenge are promoted and
 * wait for a full GC: 1 MiB writes left a provider's add ~5 MB higher), large enough that a
 * 256 MB container is 1,024 writes rather than 4,096.
 */
export const WRITE_BYTES = 256 * 1024;
/** At most this many pieces per writev (POSIX IOV_MAX is at least 1024). */
const MAX_PIECES = 1024;
const SYNC_BYTES = 32 * 1024 * 1024;

export class GatheredWriter {
  private gathered: Uint8Array[] = [];
  private gatheredBytes = 0;
  private inFlight: Promise<Result<void>> = Promise.resolve(ok(undefined));
  private syncing: Promise<Result<void>> | undefined;
  private unsynced = 0;
  /** Where the next gathered write goes: the file's length once all is flushed. */
  position: number;

  constructor(private readonly file: FileHandle, start: number) {
    this.position = start;
  }

  /** Adds `piece`; waits only when a full write is ready while the previous one is still in flight. */
  async add(piece: Uint8Array): Promise<Result<void>> {
    if (piece.length === 0) return ok(undefined);
    this.gathered.push(piece);
    this.gatheredBytes += piece.length;
    if (this.gatheredBytes < WRITE_BYTES && this.gathered.length < MAX_PIECES) return ok(undefined);
    return this.startWrite();
  }

  /** Writes what is gathered and waits for every write. */
  async flush(): Promise<Result<void>> {
    const previous = await this.startWrite();
    if (!previous.ok) return previous;
    const written = await this.inFlight;
    const synced = (await this.syncing) ?? ok(undefined);
    return written.ok ? synced : written;
  }

  private async startWrite(): Promise<Result<void>> {
    const previous = await this.inFlight;
    if (!previous.ok || this.gathered.length === 0) return previous;
    const pieces = this.gathered;
    const bytes = this.gatheredBytes;
    const at = this.position;
    this.gathered = [];
    this.gatheredBytes = 0;
    this.position += bytes;
    this.inFlight = writeAt(this.file, pieces, bytes, at);
    this.unsynced += bytes;
    return this.syncNowAndThen();
  }

  /** Starts a background datasync once SYNC_BYTES were written since the last; reports the last one's failure. */
  private async syncNowAndThen(): Promise<Result<void>> {
    if (this.unsynced < SYNC_BYTES) return ok(undefined);
    const last = (await this.syncing) ?? ok(undefined);
    if (!last.ok) return last;
    this.unsynced = 0;
    this.syncing = this.file.datasync().then(
      () => ok(undefined),
      (error: unknown) => fail('SOV_DATAPLANE_STORE_IO', `the ciphertext store failed: ${(error as Error).message}`),
    );
    return ok(undefined);
  }
}

async function writeAt(file: FileHandle, pieces: Uint8Array[], bytes: number, at: number): Promise<Result<void>> {
  try {
    // libuv completes short writes itself (uv__fs_write_all); a short count here is a failure.
    const { bytesWritten } = await file.writev(pieces, at);
    if (bytesWritten !== bytes) return fail('SOV_DATAPLANE_STORE_IO', `the ciphertext store wrote ${bytesWritten} of ${bytes} bytes`);
    return ok(undefined);
  } catch (error) {
    return fail('SOV_DATAPLANE_STORE_IO', `the ciphertext store failed: ${(error as Error).message}`);
  }
}
