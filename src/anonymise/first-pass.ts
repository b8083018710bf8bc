/**
 * First pass over the dataset: checks the header against the declaration and keeps only the
 * quasi-identifier codes and sensitive-value codes in typed arrays (memory proportional to
 * those columns, never to whole rows), plus a digest of the input bytes.
 */
import { createHash } from 'node:crypto';
import { fail, ok, type Result } from '../errors/index.js';
import { checkHeader, type AnonymisationDeclaration } from './declaration.js';
import { compileHierarchy, type QiEncoder } from './hierarchy/index.js';
import type { QiColumn, SensitiveColumn } from './mondrian.js';
import { readTable, type TableFormat } from './table/index.js';

export interface FirstPass {
  header: string[];
  rows: number;
  qis: QiColumn[];
  sensitive: SensitiveColumn[];
  inputDigest: string;
}

/** A growable Int32Array. */
class IntColumn {
  data = new Int32Array(1024);
  push(at: number, value: number): void {
    if (at === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[at] = value;
  }
}

interface Collector {
  qi: Array<{ index: number; encoder: QiEncoder; column: IntColumn }>;
  sensitive: Array<{ index: number; name: string; values: Map<string, number>; column: IntColumn }>;
}

/** Wraps a byte source so its SHA-256 is known once it has been read to the end. */
export function digesting(source: AsyncIterable<Uint8Array>): { bytes: AsyncIterable<Uint8Array>; digest: () => string } {
  const hash = createHash('sha256');
  let digest = '';
  async function* bytes(): AsyncGenerator<Uint8Array> {
    for await (const chunk of source) {
      hash.update(chunk);
      yield chunk;
    }
    digest = `sha256:${hash.digest('hex')}`;
  }
  return { bytes: bytes(), digest: () => digest };
}

function compile(decl: AnonymisationDeclaration, header: string[]): Result<Collector> {
  const collector: Collector = { qi: [], sensitive: [] };
  for (const column of decl.columns) {
    const index = header.indexOf(column.name);
    if (column.role === 'quasi') {
      const encoder = compileHierarchy(column.name, column.hierarchy);
      if (!encoder.ok) return encoder;
      collector.qi.push({ index, encoder: encoder.value, column: new IntColumn() });
    } else if (column.role === 'sensitive') {
      collector.sensitive.push({ index, name: column.name, values: new Map(), column: new IntColumn() });
    }
  }
  return ok(collector);
}

function addRecord(collector: Collector, record: string[], row: number, width: number): Result<void> {
  if (record.length !== width) {
    return fail('SOV_ANON_INPUT_INVALID', `row ${row + 1}: ${record.length} fields, the header has ${width}`, { row: row + 1 });
  }
  for (const qi of collector.qi) {
    const code = qi.encoder.encode(record[qi.index] as string);
    if (typeof code === 'string') {
      return fail('SOV_ANON_INPUT_INVALID', `column '${qi.encoder.column}', row ${row + 1}: ${code}`, { column: qi.encoder.column, row: row + 1 });
    }
    qi.column.push(row, code);
  }
  for (const s of collector.sensitive) {
    const value = record[s.index] as string;
    let code = s.values.get(value);
    if (code === undefined) s.values.set(value, (code = s.values.size));
    s.column.push(row, code);
  }
  return ok(undefined);
}

async function scan(decl: AnonymisationDeclaration, source: AsyncIterable<Uint8Array>, format: TableFormat): Promise<Result<{ header: string[]; rows: number; collector: Collector }>> {
  let header: string[] | undefined;
  let collector: Collector | undefined;
  let rows = 0;
  for await (const batch of readTable(source, format)) {
    for (const record of batch) {
      if (header === undefined || collector === undefined) {
        header = record;
        const checked = checkHeader(decl, header);
        if (!checked.ok) return checked;
        const compiled = compile(decl, header);
        if (!compiled.ok) return compiled;
        collector = compiled.value;
        continue;
      }
      const added = addRecord(collector, record, rows, header.length);
      if (!added.ok) return added;
      rows++;
    }
  }
  if (header === undefined || collector === undefined) return fail('SOV_ANON_INPUT_INVALID', 'the dataset is empty: no header');
  return ok({ header, rows, collector });
}

export async function firstPass(decl: AnonymisationDeclaration, source: AsyncIterable<Uint8Array>): Promise<Result<FirstPass>> {
  const { bytes, digest } = digesting(source);
  const scanned = await scan(decl, bytes, decl.format);
  if (!scanned.ok) return scanned;
  const { header, rows, collector } = scanned.value;
  const qis = collector.qi.map((qi) => {
    const codes = qi.column.data.subarray(0, rows);
    return { codes, domain: qi.encoder.finish(codes, rows) };
  });
  const sensitive = collector.sensitive.map((s) => ({ column: s.name, codes: s.column.data.subarray(0, rows), cardinality: s.values.size }));
  return ok({ header, rows, qis, sensitive, inputDigest: digest() });
}
