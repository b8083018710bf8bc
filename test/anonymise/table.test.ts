import { describe, expect, it } from 'vitest';
import { csvRecord, CsvParser, readTable } from '../../src/anonymise/index.js';
import { bytesOf } from './fixtures.js';

const TRICKY = 'a,b,c\r\n"x, y","say ""hi""",plain\r\n"multi\r\nline",,"" \r\nlast,row,"no newline at end"';
const EXPECTED = [
  ['a', 'b', 'c'],
  ['x, y', 'say "hi"', 'plain'],
  ['multi\r\nline', '', ''],
  ['last', 'row', 'no newline at end'],
];

function parseInPieces(text: string, size: number): string[][] {
  const parser = new CsvParser();
  const out: string[][] = [];
  for (let at = 0; at < text.length; at += size) out.push(...parser.push(text.slice(at, at + size)));
  return [...out, ...parser.end()];
}

describe('RFC 4180 CSV', () => {
  it('parses quoted commas, doubled quotes, line breaks in fields and CRLF, however the input is chunked', () => {
    const fixed = TRICKY.replace('"" \r\n', '""\r\n');
    for (const size of [1, 2, 3, 7, 1000]) expect(parseInPieces(fixed, size), `chunk ${size}`).toEqual(EXPECTED);
  });

  it('accepts LF-only line ends and skips blank lines', () => {
    expect(parseInPieces('a,b\n\n1,2\n', 4)).toEqual([['a', 'b'], ['1', '2']]);
  });

  it('rejects malformed quoting with the record number', () => {
    expect(() => parseInPieces('a,b\n"open,1\n', 5)).toThrow('unterminated quoted field');
    expect(() => parseInPieces('a,b\n"x"y,1\n', 5)).toThrow('record 1: unexpected character after a closing quote');
    expect(() => parseInPieces('a,b\nx"y,1\n', 5)).toThrow('record 1: a quote inside an unquoted field');
  });

  it('writes what it reads back identically', () => {
    const text = EXPECTED.map(csvRecord).join('');
    expect(text.startsWith('a,b,c\r\n"x, y","say ""hi""",plain\r\n')).toBe(true);
    expect(parseInPieces(text, 5)).toEqual(EXPECTED);
  });

  it('decodes UTF-8 split across chunks', async () => {
    const records: string[][] = [];
    for await (const batch of readTable(bytesOf('name,city\nZoë,Zürich\n', 1)(), 'csv')) records.push(...batch);
    expect(records).toEqual([['name', 'city'], ['Zoë', 'Zürich']]);
  });
});

describe('JSON Lines', () => {
  it('reads the first object keys as the header and rejects objects with other keys', async () => {
    const read = async (text: string): Promise<string[][]> => {
      const records: string[][] = [];
      for await (const batch of readTable(bytesOf(text, 3)(), 'jsonl')) records.push(...batch);
      return records;
    };
    expect(await read('{"a":1,"b":"x"}\n{"b":"y","a":null}\n')).toEqual([['a', 'b'], ['1', 'x'], ['', 'y']]);
    await expect(read('{"a":1}\n{"c":2}\n')).rejects.toThrow("line 2: keys differ from the first line's (a)");
    await expect(read('{"a":1}\n[1]\n')).rejects.toThrow('line 2: not a JSON object');
  });
});
