/**
 * Mondrian cut of a tree-hierarchy quasi-identifier into the children of the node covering the
 * partition, so every released label is a node of the declared hierarchy. Children too small
 * (or not l-diverse) to stand alone are pooled: the pool is released at the parent's label
 * when it satisfies the model, suppressed when the suppression budget allows, or else merged
 * into the smallest child that does.
 */
import type { PartitionState, QiColumn } from './partition-state.js';

type Slice = readonly [number, number];

function childIndexer(ranges: ReadonlyArray<readonly [number, number]>): (code: number) => number {
  const starts = ranges.map((r) => r[0]);
  return (code) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((starts[mid] as number) <= code) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
}

export function splitTree(state: PartitionState, qi: QiColumn, start: number, end: number, lo: number, hi: number): Slice[] | undefined {
  const ranges = qi.domain.childRanges(lo, hi);
  if (ranges.length < 2) return undefined;
  const childOf = childIndexer(ranges);
  const codes = qi.codes;
  const childKey = (row: number): number => childOf(codes[row] as number);
  const byChild = state.groupBy(start, end, ranges.length, childKey);
  const validChildren: number[] = [];
  const pooled: number[] = [];
  for (let c = 0; c < ranges.length; c++) {
    const from = byChild[c] as number;
    const to = byChild[c + 1] as number;
    if (to === from) continue;
    (state.valid(from, to) ? validChildren : pooled).push(c);
  }
  if (validChildren.length === 0) return undefined;
  if (pooled.length === 0) return validChildren.map((c) => [byChild[c] as number, byChild[c + 1] as number] as const);
  return withPool(state, byChild, validChildren, childKey);
}

/** Regroups so the pooled children form one slice at the end, then decides its fate. */
function withPool(state: PartitionState, byChild: Int32Array, validChildren: number[], childKey: (row: number) => number): Slice[] | undefined {
  const children = byChild.length - 1;
  const start = byChild[0] as number;
  const end = byChild[children] as number;
  const slot = new Int32Array(children).fill(validChildren.length);
  validChildren.forEach((c, i) => (slot[c] = i));
  const groups = state.groupBy(start, end, validChildren.length + 1, (row) => slot[childKey(row)] as number);
  const slices: Slice[] = validChildren.map((_, i) => [groups[i] as number, groups[i + 1] as number] as const);
  const pool: Slice = [groups[validChildren.length] as number, end];
  if (state.valid(pool[0], pool[1])) return [...slices, pool];
  if (state.canSuppress(pool[1] - pool[0])) {
    state.suppress(pool[0], pool[1]);
    return slices;
  }
  if (slices.length < 2) return undefined;
  // Merge the pool into the smallest standalone child: moving that child next to the pool keeps slices contiguous.
  const smallest = slices.reduce((best, s, i) => (s[1] - s[0] < (slices[best] as Slice)[1] - (slices[best] as Slice)[0] ? i : best), 0);
  const last = slices.length - 1;
  if (smallest !== last) return mergeSmallestLast(state, slices, smallest, pool);
  return [...slices.slice(0, last), [(slices[last] as Slice)[0], end]];
}

function mergeSmallestLast(state: PartitionState, slices: Slice[], smallest: number, pool: Slice): Slice[] {
  const [from, to] = slices[smallest] as Slice;
  const start = (slices[0] as Slice)[0];
  const order = state.order;
  const moved = order.slice(from, to);
  order.copyWithin(from, to, pool[0]);
  order.set(moved, pool[0] - moved.length);
  const result: Slice[] = [];
  let at = start;
  slices.forEach((s, i) => {
    if (i === smallest) return;
    result.push([at, at + (s[1] - s[0])]);
    at += s[1] - s[0];
  });
  result.push([at, pool[1]]);
  return result;
}
