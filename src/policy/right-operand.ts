/**
 * Right operands to typed values at compile time. Explicit datatypes win (`@type`, or the
 * constraint's `dataType`); an untyped string is read as the kind the left operand compares
 * (a dateTime operand reads "2026-01-01T00:00:00Z" as an instant). Anything unparseable,
 * unsupported or of the wrong kind is a problem: the policy is refused, never half-evaluated.
 */
import { expandSov, isAbsoluteIri, xsd, XSD } from './iri.js';
import { ordinalOf } from './operands.js';
import { parseBoolean, parseDate, parseDateTime, parseDuration, parseNumber, type Parsed, type Value, type ValueKind } from './values.js';
import { isNode } from './expanded.js';
import type { PolicyVocabulary } from './vocabulary.js';

type Expected = ValueKind | 'any';

const INTEGER_TYPES = ['integer', 'int', 'long', 'short', 'nonNegativeInteger', 'positiveInteger', 'negativeInteger', 'nonPositiveInteger'];
const DECIMAL_TYPES = ['decimal', 'double', 'float'];
const DURATION_TYPES = ['duration', 'dayTimeDuration', 'yearMonthDuration'];

function parseTyped(lexical: string, datatype: string): Parsed {
  const local = datatype.startsWith(XSD) ? datatype.slice(XSD.length) : undefined;
  if (local === 'dateTime' || local === 'dateTimeStamp') return parseDateTime(lexical);
  if (local === 'date') return parseDate(lexical);
  if (local !== undefined && DURATION_TYPES.includes(local)) return parseDuration(lexical);
  if (local !== undefined && INTEGER_TYPES.includes(local)) return parseNumber(lexical, true);
  if (local !== undefined && DECIMAL_TYPES.includes(local)) return parseNumber(lexical, false);
  if (local === 'string') return { ok: true, value: { t: 'string', s: lexical } };
  if (local === 'anyURI') return { ok: true, value: { t: 'iri', s: lexical } };
  if (local === 'boolean') return parseBoolean(lexical);
  return { ok: false, reason: `datatype ${datatype} is not supported` };
}

function parsePlain(lexical: string, expected: Expected, vocabulary: PolicyVocabulary): Parsed {
  switch (expected) {
    case 'instant':
      return lexical.includes('T') ? parseDateTime(lexical) : parseDate(lexical);
    case 'duration':
      return parseDuration(lexical);
    case 'number':
      return parseNumber(lexical, false);
    case 'ordinal':
      return fromOrdinal(lexical, vocabulary);
    case 'iri': {
      const iri = expandSov(lexical);
      return isAbsoluteIri(iri) ? { ok: true, value: { t: 'iri', s: iri } } : { ok: false, reason: `"${lexical}" is not an absolute IRI` };
    }
    default:
      return { ok: true, value: { t: 'string', s: lexical } };
  }
}

function fromOrdinal(raw: string | number, vocabulary: PolicyVocabulary): Parsed {
  const value = ordinalOf(raw, vocabulary);
  return value === undefined ? { ok: false, reason: `"${raw}" is not a level of the classification scale` } : { ok: true, value };
}

/** Checks the parsed value is of the kind the operand compares (an ordinal also takes its number). */
function fit(parsed: Parsed, expected: Expected, vocabulary: PolicyVocabulary): Parsed {
  if (!parsed.ok || expected === 'any' || parsed.value.t === expected) return parsed;
  const value = parsed.value;
  if (expected === 'ordinal' && value.t === 'number' && Number.isInteger(value.n)) return fromOrdinal(value.n, vocabulary);
  if (expected === 'ordinal' && value.t === 'iri') return fromOrdinal(value.s, vocabulary);
  return { ok: false, reason: `expected a ${expected} value but got a ${value.t}` };
}

/** Resolves a `dataType` given as a compact `xsd:` string or an IRI. */
export function datatypeOf(value: unknown): string | undefined {
  if (!isNode(value)) return undefined;
  const raw = typeof value['@id'] === 'string' ? value['@id'] : typeof value['@value'] === 'string' ? value['@value'] : undefined;
  if (raw === undefined) return undefined;
  return raw.startsWith('xsd:') ? xsd(raw.slice(4)) : raw;
}

/** One expanded right operand item to a value of the expected kind. */
export function parseRightOperand(item: unknown, expected: Expected, datatype: string | undefined, vocabulary: PolicyVocabulary): Parsed {
  if (!isNode(item)) return { ok: false, reason: 'right operand is not a value' };
  if (typeof item['@id'] === 'string') return fit({ ok: true, value: { t: 'iri', s: item['@id'] } }, expected, vocabulary);
  const raw = item['@value'];
  const type = typeof item['@type'] === 'string' ? item['@type'] : datatype;
  if (typeof raw === 'number') {
    const lexical = String(raw);
    if (type !== undefined) return fit(parseTyped(lexical, type), expected, vocabulary);
    return fit(parseNumber(lexical, Number.isInteger(raw)), expected, vocabulary);
  }
  if (typeof raw === 'boolean') return fit({ ok: true, value: { t: 'boolean', b: raw } }, expected, vocabulary);
  if (typeof raw !== 'string') return { ok: false, reason: 'right operand has no value' };
  const parsed = type === undefined ? parsePlain(raw, expected, vocabulary) : parseTyped(raw, type);
  return fit(parsed, expected, vocabulary);
}

export type { Value };
