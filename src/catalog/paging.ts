/**
 * Paging over a catalogue that is filtered per requester (dsp.md §4: optional, through the
 * `Link` header with rel="next"/"previous"). Entries are ordered by id; a cursor names where a
 * page starts (`f`, forwards from an id) or ends (`b`, backwards from before an id), so pages
 * stay stable while entries are added. Only as many entries are examined as the page needs,
 * plus the search for one more visible entry on either side (for the links).
 */
import { fail, ok, type Result } from '../errors/index.js';

export interface PageRequest {
  pageSize: number;
  cursor?: string;
}

export interface Page<U> {
  items: U[];
  /** Cursor of the next page, when there is a visible entry after this page. */
  next?: string;
  previous?: string;
}

/** Returns the item as shown to this requester, or undefined when it is hidden from them. */
export type Select<T, U> = (item: T) => U | undefined | Promise<U | undefined>;

type Cursor = { f: string } | { b: string };

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(raw: string): Cursor | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (typeof value !== 'object' || value === null) return undefined;
    const { f, b } = value as { f?: unknown; b?: unknown };
    if (typeof f === 'string' && b === undefined) return { f };
    if (typeof b === 'string' && f === undefined) return { b };
    return undefined;
  } catch {
    return undefined;
  }
}

/** Index of the first entry whose id is ≥ `id` (binary search; entries sorted by id). */
function lowerBound<T extends { id: string }>(entries: readonly T[], id: string): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (entries[mid]!.id < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Collects up to `limit` selected entries walking from `start` by `step`; returns them and where it stopped. */
async function collect<T extends { id: string }, U>(entries: readonly T[], select: Select<T, U>, start: number, step: 1 | -1, limit: number) {
  const found: Array<{ index: number; item: U }> = [];
  let i = start;
  for (; i >= 0 && i < entries.length && found.length < limit; i += step) {
    const item = await select(entries[i]!);
    if (item !== undefined) found.push({ index: i, item });
  }
  return found;
}

/** One page of the selected entries; `entries` must be sorted by id. */
export async function pageOf<T extends { id: string }, U>(entries: readonly T[], select: Select<T, U>, request: PageRequest): Promise<Result<Page<U>>> {
  const cursor = request.cursor === undefined ? { f: '' } : decodeCursor(request.cursor);
  if (!cursor) return fail('SOV_CATALOG_BAD_CURSOR', 'The paging cursor is not one this catalogue issued', { cursor: request.cursor });
  const size = Math.max(1, Math.floor(request.pageSize));
  const forward = 'f' in cursor;
  const anchor = lowerBound(entries, forward ? cursor.f : cursor.b);
  const found = forward ? await collect(entries, select, anchor, 1, size) : (await collect(entries, select, anchor - 1, -1, size)).reverse();
  const first = found[0]?.index ?? anchor;
  const last = found.at(-1)?.index ?? anchor - 1;
  const [after] = await collect(entries, select, last + 1, 1, 1);
  const [before] = await collect(entries, select, first - 1, -1, 1);
  return ok({
    items: found.map((f) => f.item),
    ...(after ? { next: encodeCursor({ f: entries[after.index]!.id }) } : {}),
    ...(before ? { previous: encodeCursor({ b: entries[first]?.id ?? entries[before.index + 1]!.id }) } : {}),
  });
}

/** The `Link` header value for a page, or undefined when there is neither a next nor a previous page. */
export function linkHeader(requestUrl: string, page: Pick<Page<unknown>, 'next' | 'previous'>): string | undefined {
  const link = (cursor: string, rel: string) => {
    const url = new URL(requestUrl);
    url.searchParams.set('cursor', cursor);
    return `<${url.toString()}>; rel="${rel}"`;
  };
  const parts = [page.next && link(page.next, 'next'), page.previous && link(page.previous, 'previous')].filter(Boolean);
  return parts.length === 0 ? undefined : parts.join(', ');
}

/** Sorts by id unless already sorted (the usual case: repositories list by id). */
export function sortedById<T extends { id: string }>(entries: readonly T[]): readonly T[] {
  for (let i = 1; i < entries.length; i++) {
    if (entries[i - 1]!.id > entries[i]!.id) return [...entries].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
  return entries;
}
