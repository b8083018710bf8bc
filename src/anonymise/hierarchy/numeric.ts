/**
 * Numeric quasi-identifiers: a value is coded by its bucket at the finest declared width, so
 * every released interval is a union of finest buckets `[lo, hi)`; when it coincides with one
 * bucket of a coarser declared width it is reported at that level.
 */
import { codeBounds, type Generalisation, type QiDomain, type QiEncoder } from './types.js';

const INT32_LIMIT = 2 ** 31 - 1;

/** Rounds away binary noise such as 0.30000000000000004 without changing real values. */
function tidy(value: number): number {
  return Number(value.toPrecision(12));
}

function isMultiple(value: number, width: number): boolean {
  const ratio = value / width;
  return Math.abs(ratio - Math.round(ratio)) < 1e-9;
}

export function numericEncoder(column: string, widths: readonly number[]): QiEncoder {
  const finest = widths[0] as number;
  return {
    column,
    encode(raw) {
      const text = raw.trim();
      const value = text === '' ? NaN : Number(text);
      if (!Number.isFinite(value)) return `'${raw}' is not a number`;
      const code = Math.floor(value / finest);
      if (Math.abs(code) > INT32_LIMIT) return `'${raw}' is too large for width ${finest}`;
      return code;
    },
    finish(codes, n) {
      const [min, max] = codeBounds(codes, n);
      return numericDomain(column, widths, max - min);
    },
  };
}

function numericDomain(column: string, widths: readonly number[], span: number): QiDomain {
  const finest = widths[0] as number;
  return {
    column,
    kind: 'interval',
    generalise(lo, hi): Generalisation {
      const from = tidy(lo * finest);
      const to = tidy((hi + 1) * finest);
      let level = 'range';
      for (const width of widths) {
        if (isMultiple(from, width) && Math.abs(to - from - width) < 1e-9 * width) {
          level = `width-${width}`;
          break;
        }
      }
      return { label: `[${from},${to})`, level, loss: span === 0 ? 0 : (hi - lo) / span };
    },
    loss: (lo, hi) => (span === 0 ? 0 : (hi - lo) / span),
    childRanges: () => [],
  };
}
