/**
 * What Mondrian needs from a quasi-identifier: values encoded as integer codes whose order
 * makes every generalised value a contiguous code range, and a way to name and price such a
 * range. Interval kinds (numeric, date) may be cut anywhere; tree kinds (categorical, prefix)
 * are cut only into the children of a node so every label stays a node of the hierarchy.
 */
export interface Generalisation {
  /** The released value, e.g. `[20,30)`, `2024-03/2024-06`, `LS*`, `Professionals`. */
  label: string;
  /** Which hierarchy level the label is: `width-10`, `month`, `prefix-2`, `depth-1`, `range`… */
  level: string;
  /** Normalised certainty penalty of this label for one record, in [0, 1]. */
  loss: number;
}

export interface QiDomain {
  readonly column: string;
  readonly kind: 'interval' | 'tree';
  /** The label for the records whose codes span [lo, hi]. */
  generalise(lo: number, hi: number): Generalisation;
  /** The `loss` of `generalise(lo, hi)` without building its label (chooses Mondrian's cut). */
  loss(lo: number, hi: number): number;
  /** Tree kinds: leaf-code ranges of the children of the node covering [lo, hi]; [] at a leaf. */
  childRanges(lo: number, hi: number): Array<readonly [number, number]>;
}

export interface QiEncoder {
  readonly column: string;
  /** The code of one raw value, or a sentence saying why the value is not acceptable. */
  encode(raw: string): number | string;
  /** Called once after the first pass; may renumber `codes[0..n)` in place (data-built trees). */
  finish(codes: Int32Array, n: number): QiDomain;
}

/** Min and max of codes[0..n). */
export function codeBounds(codes: Int32Array, n: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const c = codes[i] as number;
    if (c < lo) lo = c;
    if (c > hi) hi = c;
  }
  return n === 0 ? [0, 0] : [lo, hi];
}
