/**
 * Positional `?` placeholders (ports.ts "Portable SQL rules"). Finds the `?` that are
 * parameters, skipping string literals ('…' with '' escapes), quoted identifiers ("…"),
 * line comments (--) and block comments, so the Postgres adapter can number them and
 * both adapters can check the parameter count.
 */

/** Offsets of the placeholder `?` characters in `sql`. */
export function placeholderOffsets(sql: string): number[] {
  const offsets: number[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (c === "'" || c === '"') i = skipQuoted(sql, i, c);
    else if (c === '-' && sql[i + 1] === '-') i = skipUntil(sql, i + 2, '\n');
    else if (c === '/' && sql[i + 1] === '*') i = skipUntil(sql, i + 2, '*/');
    else {
      if (c === '?') offsets.push(i);
      i += 1;
    }
  }
  return offsets;
}

/** `?` → `$1..$n` for Postgres. */
export function numberPlaceholders(sql: string): string {
  let out = '';
  let last = 0;
  placeholderOffsets(sql).forEach((offset, index) => {
    out += `${sql.slice(last, offset)}$${index + 1}`;
    last = offset + 1;
  });
  return out + sql.slice(last);
}

/** Throws when the statement's placeholders and the parameters do not match (a bug). */
export function checkParameterCount(sql: string, params: readonly unknown[]): void {
  const expected = placeholderOffsets(sql).length;
  if (expected !== params.length) {
    throw new RangeError(`SQL has ${expected} placeholder(s) but ${params.length} parameter(s) were given: ${sql}`);
  }
}

/** Index just past the closing quote; a doubled quote inside is an escaped quote. */
function skipQuoted(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] !== quote) return i + 1;
      i += 2;
    } else {
      i += 1;
    }
  }
  return i;
}

function skipUntil(sql: string, start: number, end: string): number {
  const found = sql.indexOf(end, start);
  return found === -1 ? sql.length : found + end.length;
}
