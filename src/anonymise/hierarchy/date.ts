/**
 * Date quasi-identifiers: ISO 8601 dates truncated to the finest declared unit, released as a
 * calendar date, month or year when a partition covers exactly one, else as an ISO 8601
 * interval `start/end` (ISO 8601-1:2019 §5.5.2) at the finest unit.
 */
import { codeBounds, type Generalisation, type QiEncoder } from './types.js';

export type DateUnit = 'day' | 'month' | 'year';
const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/;

function parts(raw: string, unit: DateUnit): [number, number, number] | undefined {
  const match = ISO_DATE.exec(raw.trim());
  if (match === null) return undefined;
  const year = Number(match[1]);
  const month = match[2] === undefined ? undefined : Number(match[2]);
  const day = match[3] === undefined ? undefined : Number(match[3]);
  if ((unit !== 'year' && month === undefined) || (unit === 'day' && day === undefined)) return undefined;
  const m = month ?? 1;
  const d = day ?? 1;
  const check = new Date(Date.UTC(year, m - 1, d));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return undefined;
  return [year, m, d];
}

function toCode(unit: DateUnit, [year, month, day]: [number, number, number]): number {
  if (unit === 'year') return year;
  if (unit === 'month') return year * 12 + (month - 1);
  return Math.round(Date.UTC(year, month - 1, day) / DAY_MS);
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function format(unit: DateUnit, code: number): string {
  if (unit === 'year') return pad(code, 4);
  if (unit === 'month') return `${pad(Math.floor(code / 12), 4)}-${pad((code % 12) + 1)}`;
  return new Date(code * DAY_MS).toISOString().slice(0, 10);
}

/** The single month or year [lo, hi] covers exactly, if any. */
function wholePeriod(unit: DateUnit, lo: number, hi: number): Generalisation | undefined {
  if (unit === 'year') return undefined;
  const start = unit === 'month' ? new Date(Date.UTC(Math.floor(lo / 12), lo % 12, 1)) : new Date(lo * DAY_MS);
  const end = unit === 'month' ? new Date(Date.UTC(Math.floor(hi / 12), hi % 12, 1)) : new Date(hi * DAY_MS);
  const year = start.getUTCFullYear();
  const sameYear = end.getUTCFullYear() === year;
  const lastDay = new Date(Date.UTC(year, end.getUTCMonth() + 1, 0)).getUTCDate();
  const endsMonth = unit === 'month' || end.getUTCDate() === lastDay;
  if (!sameYear || start.getUTCDate() !== 1 || !endsMonth) return undefined;
  if (start.getUTCMonth() === 0 && end.getUTCMonth() === 11) return { label: pad(year, 4), level: 'year', loss: 0 };
  if (unit === 'day' && start.getUTCMonth() === end.getUTCMonth()) {
    return { label: `${pad(year, 4)}-${pad(start.getUTCMonth() + 1)}`, level: 'month', loss: 0 };
  }
  return undefined;
}

export function dateEncoder(column: string, unit: DateUnit): QiEncoder {
  return {
    column,
    encode(raw) {
      const p = parts(raw, unit);
      return p === undefined ? `'${raw}' is not an ISO 8601 date with a ${unit}` : toCode(unit, p);
    },
    finish(codes, n) {
      const [min, max] = codeBounds(codes, n);
      const span = max - min;
      return {
        column,
        kind: 'interval',
        generalise(lo, hi) {
          const loss = span === 0 ? 0 : (hi - lo) / span;
          if (lo === hi) return { label: format(unit, lo), level: unit, loss };
          const whole = wholePeriod(unit, lo, hi);
          if (whole !== undefined) return { ...whole, loss };
          return { label: `${format(unit, lo)}/${format(unit, hi)}`, level: 'range', loss };
        },
        loss: (lo, hi) => (span === 0 ? 0 : (hi - lo) / span),
        childRanges: () => [],
      };
    },
  };
}
