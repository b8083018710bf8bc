/**
 * JSON Lines (one JSON object per line). The first object's keys are the header; every later
 * object must have the same keys. Values must be strings, numbers, booleans or null (→ '').
 */
import { TableSyntaxError } from './csv.js';

export class JsonlParser {
  private carry = '';
  private header: string[] | undefined;
  private line = 0;

  push(text: string): string[][] {
    const lines = (this.carry + text).split('\n');
    this.carry = lines.pop() ?? '';
    return this.records(lines);
  }

  end(): string[][] {
    const last = this.carry;
    this.carry = '';
    return this.records([last]);
  }

  private records(lines: string[]): string[][] {
    const out: string[][] = [];
    for (const raw of lines) {
      this.line++;
      if (raw.trim() === '') continue;
      const object = this.parseLine(raw);
      if (this.header === undefined) {
        this.header = Object.keys(object);
        out.push(this.header);
      }
      out.push(this.valuesOf(object, this.header));
    }
    return out;
  }

  private parseLine(raw: string): Record<string, unknown> {
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      throw new TableSyntaxError(this.line, `line ${this.line}: not valid JSON`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new TableSyntaxError(this.line, `line ${this.line}: not a JSON object`);
    }
    return value as Record<string, unknown>;
  }

  private valuesOf(object: Record<string, unknown>, header: string[]): string[] {
    const keys = Object.keys(object);
    if (keys.length !== header.length || !header.every((h) => Object.hasOwn(object, h))) {
      throw new TableSyntaxError(this.line, `line ${this.line}: keys differ from the first line's (${header.join(', ')})`);
    }
    return header.map((h) => {
      const v = object[h];
      if (v === null) return '';
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
      throw new TableSyntaxError(this.line, `line ${this.line}: '${h}' is not a string, number, boolean or null`);
    });
  }
}

export function jsonlRecord(header: readonly string[], fields: readonly string[]): string {
  const object: Record<string, string> = {};
  header.forEach((h, i) => (object[h] = fields[i] ?? ''));
  return `${JSON.stringify(object)}\n`;
}
