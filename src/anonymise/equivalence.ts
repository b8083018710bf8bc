/**
 * From Mondrian partitions to released values: each partition's quasi-identifiers are
 * generalised to hierarchy labels; partitions with identical labels form one equivalence
 * class. k, l, the re-identification risk and the information loss are then measured on
 * those released classes, i.e. on the output, not on the partitions.
 */
import type { PartitionResult, QiColumn, SensitiveColumn } from './mondrian.js';

export interface Released {
  /** Equivalence class of each row; -1 for a suppressed row. */
  rowClass: Int32Array;
  /** Labels of each class, one per quasi-identifier. */
  classLabels: string[][];
  classSizes: number[];
  /** Σ over released rows of each QI's normalised certainty penalty. */
  lossSums: number[];
  /** Per QI: hierarchy level → rows released at it. */
  levels: Array<Record<string, number>>;
}

export function release(qis: QiColumn[], rows: number, result: PartitionResult): Released {
  const rowClass = new Int32Array(rows).fill(-1);
  const classIds = new Map<string, number>();
  const out: Released = { rowClass, classLabels: [], classSizes: [], lossSums: qis.map(() => 0), levels: qis.map(() => ({})) };
  const { order, partitions } = result;
  for (let p = 0; p < partitions.length; p += 2) {
    const start = partitions[p] as number;
    const end = partitions[p + 1] as number;
    const size = end - start;
    const labels = qis.map((qi, q) => {
      let lo = 2 ** 31;
      let hi = -(2 ** 31);
      for (let i = start; i < end; i++) {
        const c = qi.codes[order[i] as number] as number;
        if (c < lo) lo = c;
        if (c > hi) hi = c;
      }
      const g = qi.domain.generalise(lo, hi);
      out.lossSums[q] = (out.lossSums[q] as number) + g.loss * size;
      const levels = out.levels[q] as Record<string, number>;
      levels[g.level] = (levels[g.level] ?? 0) + size;
      return g.label;
    });
    const key = labels.join('\u0000');
    let id = classIds.get(key);
    if (id === undefined) {
      classIds.set(key, (id = out.classLabels.length));
      out.classLabels.push(labels);
      out.classSizes.push(0);
    }
    out.classSizes[id] = (out.classSizes[id] as number) + size;
    for (let i = start; i < end; i++) rowClass[order[i] as number] = id;
  }
  return out;
}

/** The smallest number of distinct values of each sensitive column within any class. */
export function achievedL(released: Released, sensitive: SensitiveColumn[]): Record<string, number> {
  const classes = released.classSizes.length;
  const offsets = new Int32Array(classes + 1);
  const { rowClass } = released;
  for (const c of rowClass) if (c >= 0) offsets[c + 1] = (offsets[c + 1] as number) + 1;
  for (let c = 0; c < classes; c++) offsets[c + 1] = (offsets[c + 1] as number) + (offsets[c] as number);
  const byClass = new Int32Array(offsets[classes] as number);
  const cursor = offsets.slice(0, classes);
  rowClass.forEach((c, row) => {
    if (c < 0) return;
    const at = cursor[c] as number;
    byClass[at] = row;
    cursor[c] = at + 1;
  });
  const result: Record<string, number> = {};
  for (const s of sensitive) {
    const stamp = new Int32Array(s.cardinality).fill(-1);
    let minimum = Infinity;
    for (let c = 0; c < classes; c++) {
      let distinct = 0;
      for (let i = offsets[c] as number; i < (offsets[c + 1] as number); i++) {
        const v = s.codes[byClass[i] as number] as number;
        if (stamp[v] !== c) {
          stamp[v] = c;
          distinct++;
        }
      }
      minimum = Math.min(minimum, distinct);
    }
    result[s.column] = classes === 0 ? 0 : minimum;
  }
  return result;
}
