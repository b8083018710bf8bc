/**
 * Second pass: streams the dataset again and writes each released row (identifiers dropped or
 * pseudonymised, quasi-identifiers replaced by their class labels, other columns as they are),
 * digesting the output as it goes. Only the current batch of rows is in memory.
 */
import { createHash } from 'node:crypto';
import { fail, ok, type Result } from '../errors/index.js';
import type { AnonymisationDeclaration } from './declaration.js';
import type { Released } from './equivalence.js';
import { digesting } from './first-pass.js';
import { pseudonymiser, type KeyedHash } from './pseudonym.js';
import { readTable, tableWriter } from './table/index.js';

export interface SecondPassInput {
  declaration: AnonymisationDeclaration;
  header: string[];
  rows: number;
  inputDigest: string;
  released: Released;
  source: AsyncIterable<Uint8Array>;
  write: (chunk: Uint8Array) => Promise<void> | void;
  keyedHash?: KeyedHash;
}

export interface Written {
  sha256: string;
  bytes: number;
  outputHeader: string[];
}

/** For each output column: where it comes from and how it is transformed. */
function plan(input: SecondPassInput): Array<{ name: string; from: (record: string[], cls: number) => string }> {
  const { declaration, header, released } = input;
  const qiOrder = declaration.columns.filter((c) => c.role === 'quasi').map((c) => c.name);
  const out: Array<{ name: string; from: (record: string[], cls: number) => string }> = [];
  for (const name of header) {
    const column = declaration.columns.find((c) => c.name === name);
    const index = header.indexOf(name);
    if (column === undefined || (column.role === 'identifier' && column.action === 'drop')) continue;
    if (column.role === 'identifier') {
      if (input.keyedHash === undefined) throw new Error(`column '${name}' is pseudonymised but no keyedHash was given`);
      const pseudonym = pseudonymiser(input.keyedHash, name, declaration.pseudonymBytes);
      out.push({ name, from: (record) => pseudonym(record[index] as string) });
    } else if (column.role === 'quasi') {
      const q = qiOrder.indexOf(name);
      out.push({ name, from: (_record, cls) => released.classLabels[cls]?.[q] as string });
    } else {
      out.push({ name, from: (record) => record[index] as string });
    }
  }
  return out;
}

export async function secondPass(input: SecondPassInput): Promise<Result<Written>> {
  const columns = plan(input);
  const outputHeader = columns.map((c) => c.name);
  const writer = tableWriter(input.declaration.format, outputHeader);
  const encoder = new TextEncoder();
  const hash = createHash('sha256');
  let bytes = 0;
  const emit = async (text: string): Promise<void> => {
    if (text === '') return;
    const chunk = encoder.encode(text);
    hash.update(chunk);
    bytes += chunk.length;
    await input.write(chunk);
  };
  await emit(writer.start);
  const { bytes: source, digest } = digesting(input.source);
  let row = -1;
  for await (const batch of readTable(source, input.declaration.format)) {
    let text = '';
    for (const record of batch) {
      const cls = row < 0 || row >= input.rows ? -1 : (input.released.rowClass[row] as number);
      row++;
      if (cls >= 0) text += writer.record(columns.map((c) => c.from(record, cls)));
    }
    await emit(text);
  }
  if (row !== input.rows || digest() !== input.inputDigest) {
    return fail('SOV_ANON_SOURCE_CHANGED', 'the dataset read for output differs from the one analysed; discard the output', { rowsAnalysed: input.rows, rowsRead: row });
  }
  return ok({ sha256: `sha256:${hash.digest('hex')}`, bytes, outputHeader });
}
