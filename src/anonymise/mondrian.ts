/**
 * Strict multidimensional Mondrian partitioning (LeFevre, DeWitt, Ramakrishnan, ICDE 2006):
 * starting from the whole table, a partition is cut on the quasi-identifier with the widest
 * normalised span, at the median (or, failing l-diversity, nearby quantiles) for intervals and
 * into the children of the covering node for trees, as long as every part still holds at least
 * k rows and l distinct sensitive values. A partition that no cut can split is final.
 */
import { fail, ok, type Result } from '../errors/index.js';
import { splitTree } from './mondrian-tree.js';
import { PartitionState, type PartitionInput, type QiColumn } from './partition-state.js';

export type { PartitionInput, QiColumn, SensitiveColumn } from './partition-state.js';

export interface PartitionResult {
  /** Row permutation; each partition is a slice of it. */
  order: Int32Array;
  /** Flattened [start, end) pairs into `order`, one per final partition. */
  partitions: Int32Array;
  /** 1 for a suppressed row (in no partition). */
  suppressed: Uint8Array;
  suppressedCount: number;
}

type Slice = readonly [number, number];

const QUANTILES = [0.5, 1 / 3, 2 / 3, 0.25, 0.75];

function lowerBound(sorted: Int32Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The codes of order[start..end) in ascending order, in the state's scratch space. */
function sortedCodes(state: PartitionState, codes: Int32Array, start: number, end: number, lo: number, hi: number): Int32Array {
  const view = state.scratch.subarray(start, end);
  const span = hi - lo + 1;
  // Counting sort pays off only when the code span is small next to the partition.
  if (end - start < 256 || span > 2 * (end - start)) {
    for (let i = start; i < end; i++) view[i - start] = codes[state.order[i] as number] as number;
    return view.sort();
  }
  const counts = new Int32Array(span);
  for (let i = start; i < end; i++) {
    const v = (codes[state.order[i] as number] as number) - lo;
    counts[v] = (counts[v] as number) + 1;
  }
  let at = 0;
  for (let v = 0; v < span; v++) view.fill(v + lo, at, (at += counts[v] as number));
  return view;
}

/** Moves rows with code ≤ threshold to the front of the slice; returns the first index after them. */
function cutAt(state: PartitionState, codes: Int32Array, start: number, end: number, threshold: number): number {
  const order = state.order;
  let i = start;
  let j = end - 1;
  while (i <= j) {
    const row = order[i] as number;
    if ((codes[row] as number) <= threshold) i++;
    else {
      order[i] = order[j] as number;
      order[j--] = row;
    }
  }
  return i;
}

function splitInterval(state: PartitionState, qi: QiColumn, start: number, end: number, lo: number, hi: number): Slice[] | undefined {
  const size = end - start;
  const k = state.input.k;
  const sorted = sortedCodes(state, qi.codes, start, end, lo, hi);
  const tried = new Set<number>();
  for (const quantile of QUANTILES) {
    const value = sorted[Math.min(size - 1, Math.max(1, Math.round(size * quantile)))] as number;
    const below = lowerBound(sorted, value);
    const through = lowerBound(sorted, value + 1);
    const target = size * quantile;
    const options = Math.abs(below - target) <= Math.abs(through - target) ? [below, through] : [through, below];
    for (const left of options) {
      if (left < k || size - left < k || tried.has(left)) continue;
      tried.add(left);
      const mid = cutAt(state, qi.codes, start, end, left === below ? value - 1 : value);
      if (state.diverse(start, mid) && state.diverse(mid, end)) return [[start, mid], [mid, end]];
    }
  }
  return undefined;
}

function split(state: PartitionState, start: number, end: number): Slice[] | undefined {
  const candidates = state.input.qis
    .map((qi) => {
      const [lo, hi] = state.bounds(qi.codes, start, end);
      return { qi, lo, hi, width: qi.domain.loss(lo, hi) };
    })
    .filter((c) => c.lo < c.hi)
    .sort((a, b) => b.width - a.width);
  for (const { qi, lo, hi } of candidates) {
    const parts = qi.domain.kind === 'interval' ? splitInterval(state, qi, start, end, lo, hi) : splitTree(state, qi, start, end, lo, hi);
    if (parts !== undefined) return parts;
  }
  return undefined;
}

function distinctCount(codes: Int32Array, cardinality: number): number {
  const seen = new Uint8Array(cardinality);
  let distinct = 0;
  for (const code of codes) if (seen[code] === 0 && (seen[code] = 1)) distinct++;
  return distinct;
}

/** Why the model cannot hold even for the whole table, with what is achievable. */
function unreachable(input: PartitionInput): Result<never> | undefined {
  if (input.rows < input.k) {
    return fail('SOV_ANON_MODEL_UNREACHABLE', `the dataset has ${input.rows} rows, fewer than k = ${input.k}`, { achievableK: input.rows });
  }
  const distinct = input.sensitive.map((s) => ({ column: s.column, distinct: distinctCount(s.codes.subarray(0, input.rows), s.cardinality) }));
  const poorest = distinct.sort((a, b) => a.distinct - b.distinct)[0];
  if (poorest !== undefined && poorest.distinct < input.l) {
    return fail(
      'SOV_ANON_MODEL_UNREACHABLE',
      `sensitive column '${poorest.column}' has only ${poorest.distinct} distinct values, fewer than l = ${input.l}`,
      { achievableL: poorest.distinct },
    );
  }
  return undefined;
}

export function mondrian(input: PartitionInput): Result<PartitionResult> {
  const refusal = unreachable(input);
  if (refusal !== undefined) return refusal;
  const state = new PartitionState(input);
  const final: number[] = [];
  const stack: Slice[] = [[0, input.rows]];
  for (let slice = stack.pop(); slice !== undefined; slice = stack.pop()) {
    const parts = split(state, slice[0], slice[1]);
    if (parts === undefined) final.push(slice[0], slice[1]);
    else stack.push(...parts);
  }
  return ok({ order: state.order, partitions: Int32Array.from(final), suppressed: state.suppressed, suppressedCount: state.suppressedCount });
}
