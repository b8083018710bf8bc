/**
 * Canonical JSON for hashed audit fields: object keys sorted by UTF-16 code units at every
 * depth, no whitespace, numbers and strings as ECMAScript `JSON.stringify` writes them — the
 * RFC 8785 (JCS) rules for the JSON values an audit entry may hold (validated beforehand,
 * so no NaN, undefined or Dates reach here).
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key] as JsonValue)}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}
