/**
 * Shared state of one Mondrian run: the row permutation whose contiguous slices are
 * partitions, the model checks (size ≥ k, distinct l-diversity) and the suppression budget.
 */
import type { QiDomain } from './hierarchy/index.js';

export interface QiColumn {
  codes: Int32Array;
  domain: QiDomain;
}

export interface SensitiveColumn {
  column: string;
  /** Dictionary codes 0..cardinality-1. */
  codes: Int32Array;
  cardinality: number;
}

export interface PartitionInput {
  rows: number;
  qis: QiColumn[];
  sensitive: SensitiveColumn[];
  k: number;
  /** 1 when no l-diversity is required. */
  l: number;
  /** Rows that may be suppressed in total. */
  maxSuppressed: number;
}

export class PartitionState {
  readonly order: Int32Array;
  readonly suppressed: Uint8Array;
  suppressedCount = 0;
  /** Scratch space for counting sorts and sorted copies; as long as the table. */
  readonly scratch: Int32Array;
  private readonly stamps: Int32Array[];
  private stamp = 0;

  constructor(readonly input: PartitionInput) {
    this.order = new Int32Array(input.rows);
    for (let i = 0; i < input.rows; i++) this.order[i] = i;
    this.suppressed = new Uint8Array(input.rows);
    this.scratch = new Int32Array(input.rows);
    this.stamps = input.sensitive.map((s) => new Int32Array(s.cardinality));
  }

  /** True when order[start..end) has at least l distinct values in every sensitive column. */
  diverse(start: number, end: number): boolean {
    const { l, sensitive } = this.input;
    if (l <= 1) return true;
    for (let s = 0; s < sensitive.length; s++) {
      const codes = (sensitive[s] as SensitiveColumn).codes;
      const seen = this.stamps[s] as Int32Array;
      const mark = ++this.stamp;
      let distinct = 0;
      for (let i = start; i < end && distinct < l; i++) {
        const value = codes[this.order[i] as number] as number;
        if (seen[value] !== mark) {
          seen[value] = mark;
          distinct++;
        }
      }
      if (distinct < l) return false;
    }
    return true;
  }

  valid(start: number, end: number): boolean {
    return end - start >= this.input.k && this.diverse(start, end);
  }

  canSuppress(count: number): boolean {
    return this.suppressedCount + count <= this.input.maxSuppressed;
  }

  suppress(start: number, end: number): void {
    for (let i = start; i < end; i++) this.suppressed[this.order[i] as number] = 1;
    this.suppressedCount += end - start;
  }

  /** [min, max] code of a QI over order[start..end). */
  bounds(codes: Int32Array, start: number, end: number): [number, number] {
    let lo = 2 ** 31;
    let hi = -(2 ** 31);
    for (let i = start; i < end; i++) {
      const c = codes[this.order[i] as number] as number;
      if (c < lo) lo = c;
      if (c > hi) hi = c;
    }
    return [lo, hi];
  }

  /** Stable counting sort of order[start..end) by key(row) in 0..keys-1; returns group offsets. */
  groupBy(start: number, end: number, keys: number, key: (row: number) => number): Int32Array {
    const offsets = new Int32Array(keys + 1);
    for (let i = start; i < end; i++) {
      const g = key(this.order[i] as number) + 1;
      offsets[g] = (offsets[g] as number) + 1;
    }
    for (let g = 0; g < keys; g++) offsets[g + 1] = (offsets[g + 1] as number) + (offsets[g] as number);
    const cursor = offsets.slice(0, keys);
    for (let i = start; i < end; i++) {
      const row = this.order[i] as number;
      const g = key(row);
      this.scratch[start + (cursor[g] as number)] = row;
      cursor[g] = (cursor[g] as number) + 1;
    }
    this.order.set(this.scratch.subarray(start, end), start);
    for (let g = 0; g <= keys; g++) offsets[g] = (offsets[g] as number) + start;
    return offsets;
  }
}
