/** The `fromChunk` query of a container route (docs/format.md §4, §6): where a resumed container starts. */
import type { Request } from 'express';
import { fail, ok, type Result } from '../../errors/index.js';

/** Chunk record index `i` of `?fromChunk=i`, undefined without the query (the whole container). */
export function fromChunkOf(req: Request): Result<number | undefined> {
  const raw = req.query['fromChunk'];
  if (raw === undefined) return ok(undefined);
  const n = typeof raw === 'string' && /^\d{1,15}$/.test(raw) ? Number(raw) : Number.NaN;
  return Number.isSafeInteger(n) ? ok(n) : fail('SOV_DATAPLANE_RANGE_INVALID', 'fromChunk must be a chunk index (a natural number)');
}
