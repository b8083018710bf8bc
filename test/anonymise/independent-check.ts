/**
 * An independent re-computation of k-anonymity and distinct l-diversity on an anonymised CSV,
 * sharing no code with src/anonymise: its own RFC 4180 reader, its own grouping.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || record.length > 0) records.push([...record, field]);
  return records;
}

export interface Measured {
  k: number;
  l: Record<string, number>;
  classes: number;
  rows: number;
}

export function measure(text: string, quasi: string[], sensitive: string[]): Measured {
  const [header, ...rows] = parseCsv(text);
  if (header === undefined) throw new Error('no header');
  const qi = quasi.map((q) => header.indexOf(q));
  const si = sensitive.map((s) => header.indexOf(s));
  if ([...qi, ...si].some((i) => i < 0)) throw new Error('a column is missing from the output');
  const classes = new Map<string, { size: number; values: Array<Set<string>> }>();
  for (const row of rows) {
    const key = JSON.stringify(qi.map((i) => row[i]));
    const entry = classes.get(key) ?? { size: 0, values: si.map(() => new Set<string>()) };
    entry.size++;
    si.forEach((s, j) => entry.values[j]?.add(row[s] as string));
    classes.set(key, entry);
  }
  const all = [...classes.values()];
  const l: Record<string, number> = {};
  sensitive.forEach((s, j) => (l[s] = Math.min(...all.map((c) => c.values[j]?.size ?? 0))));
  return { k: Math.min(...all.map((c) => c.size)), l, classes: all.length, rows: rows.length };
}
