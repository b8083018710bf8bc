/**
 * Tabular input and output over byte streams: CSV (RFC 4180) and JSON Lines. Readers yield
 * the header first, then one string array per record; nothing but the current chunk is held.
 */
import { fail, type Result } from '../../errors/index.js';
import { CsvParser, csvRecord, TableSyntaxError } from './csv.js';
import { JsonlParser, jsonlRecord } from './jsonl.js';

export { TableSyntaxError, csvRecord, csvField, CsvParser } from './csv.js';
export type TableFormat = 'csv' | 'jsonl';

/** Yields batches of records (header first); throws TableSyntaxError on malformed input. */
export async function* readTable(source: AsyncIterable<Uint8Array>, format: TableFormat): AsyncGenerator<string[][]> {
  const parser = format === 'csv' ? new CsvParser() : new JsonlParser();
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  for await (const chunk of source) {
    const records = parser.push(decoder.decode(chunk, { stream: true }));
    if (records.length > 0) yield records;
  }
  const records = [...parser.push(decoder.decode()), ...parser.end()];
  if (records.length > 0) yield records;
}

/** Encodes records of one table; the CSV writer emits the header line first. */
export function tableWriter(format: TableFormat, header: readonly string[]): { start: string; record: (fields: readonly string[]) => string } {
  if (format === 'csv') return { start: csvRecord(header), record: csvRecord };
  return { start: '', record: (fields) => jsonlRecord(header, fields) };
}

/** Runs a table-reading step, turning malformed bytes (syntax, invalid UTF-8) into an input failure. */
export async function readingTable<T>(run: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof TableSyntaxError) return fail('SOV_ANON_INPUT_INVALID', error.message, { record: error.record });
    if (error instanceof TypeError && (error as { code?: string }).code === 'ERR_ENCODING_INVALID_ENCODED_DATA') {
      return fail('SOV_ANON_INPUT_INVALID', 'the dataset is not valid UTF-8');
    }
    throw error;
  }
}
