/**
 * Typed operand values and their comparison (odrl.md "Constraints"): dateTimes as instants
 * (time zones normalised; a dateTime without a zone is refused as ambiguous), an xsd:date as
 * the whole UTC (or stated-zone) day, durations exactly (days/hours/...) or, with years and
 * months, by calendar from the agreement date, numbers numerically, IRIs and strings exactly.
 */
import { displayIri } from './iri.js';

export type Value =
  | { t: 'instant'; ms: number; end?: number; lexical: string }
  | { t: 'duration'; ms: number; months: number; lexical: string; anchor?: number }
  | { t: 'number'; n: number; lexical: string }
  | { t: 'string'; s: string }
  | { t: 'iri'; s: string }
  | { t: 'boolean'; b: boolean }
  | { t: 'ordinal'; n: number; s: string };

export type ValueKind = Value['t'];

const DATE_TIME = /^(-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:\d{2})?$/;
const DATE = /^(\d{4,}-\d{2}-\d{2})(Z|[+-]\d{2}:\d{2})?$/;
const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const DAY_MS = 86_400_000;

export type Parsed = { ok: true; value: Value } | { ok: false; reason: string };

const good = (value: Value): Parsed => ({ ok: true, value });
const bad = (reason: string): Parsed => ({ ok: false, reason });

export function parseDateTime(lexical: string): Parsed {
  const match = DATE_TIME.exec(lexical);
  if (match === null) return bad(`"${lexical}" is not an xsd:dateTime`);
  if (match[2] === undefined) return bad(`dateTime "${lexical}" has no time zone and is ambiguous`);
  const ms = Date.parse(lexical);
  return Number.isNaN(ms) ? bad(`"${lexical}" is not a valid dateTime`) : good({ t: 'instant', ms, lexical });
}

export function parseDate(lexical: string): Parsed {
  const match = DATE.exec(lexical);
  if (match === null) return bad(`"${lexical}" is not an xsd:date`);
  const start = Date.parse(`${match[1]}T00:00:00${match[2] ?? 'Z'}`);
  if (Number.isNaN(start)) return bad(`"${lexical}" is not a valid date`);
  return good({ t: 'instant', ms: start, end: start + DAY_MS, lexical });
}

export function parseDuration(lexical: string): Parsed {
  const match = DURATION.exec(lexical);
  if (match === null || lexical === 'P' || lexical.endsWith('T')) return bad(`"${lexical}" is not an xsd:duration`);
  const [, years, months, days, hours, minutes, seconds] = match.map((part) => (part === undefined ? 0 : Number(part)));
  const ms = ((((days ?? 0) * 24 + (hours ?? 0)) * 60 + (minutes ?? 0)) * 60 + (seconds ?? 0)) * 1000;
  return good({ t: 'duration', ms, months: (years ?? 0) * 12 + (months ?? 0), lexical });
}

export function parseNumber(lexical: string, integer: boolean): Parsed {
  if (!(integer ? INTEGER : DECIMAL).test(lexical.trim())) {
    return bad(`"${lexical}" is not an xsd:${integer ? 'integer' : 'decimal'}`);
  }
  return good({ t: 'number', n: Number(lexical), lexical: lexical.trim() });
}

export function parseBoolean(lexical: string): Parsed {
  if (lexical === 'true' || lexical === '1') return good({ t: 'boolean', b: true });
  if (lexical === 'false' || lexical === '0') return good({ t: 'boolean', b: false });
  return bad(`"${lexical}" is not an xsd:boolean`);
}

/** An instant from the world: epoch ms, or ISO 8601 with a zone (dates count from their start). */
export function instantOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string') return undefined;
  const parsed = DATE_TIME.test(value) ? parseDateTime(value) : parseDate(value);
  return parsed.ok && parsed.value.t === 'instant' ? parsed.value.ms : undefined;
}

function addMonths(anchor: number, months: number): number {
  const date = new Date(anchor);
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, lastDay));
  return date.getTime();
}

/** Length of a duration in ms; with years/months only relative to an anchor instant. */
function durationMs(value: Extract<Value, { t: 'duration' }>, anchor: number | undefined): number | undefined {
  if (value.months === 0) return value.ms;
  if (anchor === undefined) return undefined;
  return addMonths(anchor, value.months) + value.ms - anchor;
}

const sign = (difference: number): number => (difference < 0 ? -1 : difference > 0 ? 1 : 0);

/**
 * Orders `found` against `required`: -1, 0 or 1, or undefined when they cannot be compared
 * (different kinds, or a calendar duration with no anchor). A required date is a day-long
 * interval: inside it is 0, before it -1, from its end on 1.
 */
export function order(found: Value, required: Value): number | undefined {
  if (found.t === 'instant' && required.t === 'instant') {
    if (required.end === undefined) return sign(found.ms - required.ms);
    return found.ms < required.ms ? -1 : found.ms >= required.end ? 1 : 0;
  }
  if (found.t === 'duration' && required.t === 'duration') {
    const anchor = found.anchor ?? required.anchor;
    const a = durationMs(found, anchor);
    const b = durationMs(required, anchor);
    return a === undefined || b === undefined ? undefined : sign(a - b);
  }
  const a = found.t === 'number' || found.t === 'ordinal' ? found.n : undefined;
  const b = required.t === 'number' || required.t === 'ordinal' ? required.n : undefined;
  return a === undefined || b === undefined ? undefined : sign(a - b);
}

/** Equality by kind; undefined when the kinds cannot be compared. */
export function equals(found: Value, required: Value): boolean | undefined {
  if (found.t === 'iri' || found.t === 'string') {
    return required.t === 'iri' || required.t === 'string' ? found.s === required.s : undefined;
  }
  if (found.t === 'boolean') return required.t === 'boolean' ? found.b === required.b : undefined;
  const ordered = order(found, required);
  return ordered === undefined ? undefined : ordered === 0;
}

/** JSON form of a value for reports: lexical forms, IRIs as given. */
export function renderValue(value: Value): string | number | boolean {
  switch (value.t) {
    case 'instant':
      return value.lexical;
    case 'duration':
      return value.lexical;
    case 'number':
      return value.n;
    case 'boolean':
      return value.b;
    case 'string':
      return value.s;
    default:
      return displayIri(value.s);
  }
}
