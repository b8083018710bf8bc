/**
 * RFC 4180 CSV, incrementally: fields separated by commas, records by CRLF (LF and CR alone are
 * accepted on input), fields containing commas, quotes or line breaks enclosed in double quotes
 * with inner quotes doubled (RFC 4180 §2.5–2.7). Completely empty lines are skipped.
 */
export class TableSyntaxError extends Error {
  constructor(
    readonly record: number,
    message: string,
  ) {
    super(message);
    this.name = 'TableSyntaxError';
  }
}

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

export class CsvParser {
  private row: string[] = [];
  private field = '';
  private quoted = false;
  private afterQuote = false;
  private fieldStart = true;
  private skipLf = false;
  /** Records completed so far, the header included (for error messages). */
  private records = 0;

  /** Parses the next piece of text; returns the records it completed. */
  push(text: string): string[][] {
    const out: string[][] = [];
    let i = 0;
    const length = text.length;
    while (i < length) {
      if (this.skipLf) {
        this.skipLf = false;
        if (text.charCodeAt(i) === LF) {
          i++;
          continue;
        }
      }
      i = this.quoted ? this.inQuotes(text, i) : this.unquoted(text, i, out);
    }
    return out;
  }

  /** Ends the input; returns the last record if it had no line break. */
  end(): string[][] {
    if (this.quoted && !this.afterQuote) throw new TableSyntaxError(this.records, `record ${this.records}: unterminated quoted field`);
    this.quoted = false;
    const out: string[][] = [];
    if (!this.fieldStart || this.row.length > 0 || this.afterQuote) this.endRecord(out);
    return out;
  }

  private inQuotes(text: string, i: number): number {
    if (this.afterQuote) {
      if (text.charCodeAt(i) === QUOTE) {
        this.field += '"';
        this.afterQuote = false;
        return i + 1;
      }
      this.quoted = false;
      this.afterQuote = false;
      const c = text.charCodeAt(i);
      if (c !== COMMA && c !== LF && c !== CR) {
        throw new TableSyntaxError(this.records, `record ${this.records}: unexpected character after a closing quote`);
      }
      return i;
    }
    const close = text.indexOf('"', i);
    if (close === -1) {
      this.field += text.slice(i);
      return text.length;
    }
    this.field += text.slice(i, close);
    this.afterQuote = true;
    return close + 1;
  }

  private unquoted(text: string, i: number, out: string[][]): number {
    const c = text.charCodeAt(i);
    if (c === COMMA) {
      this.endField();
      return i + 1;
    }
    if (c === LF || c === CR) {
      this.skipLf = c === CR;
      if (this.fieldStart && this.row.length === 0) return i + 1;
      this.endRecord(out);
      return i + 1;
    }
    if (c === QUOTE) {
      if (!this.fieldStart) throw new TableSyntaxError(this.records, `record ${this.records}: a quote inside an unquoted field`);
      this.quoted = true;
      this.fieldStart = false;
      return i + 1;
    }
    let j = i + 1;
    for (; j < text.length; j++) {
      const d = text.charCodeAt(j);
      if (d === COMMA || d === LF || d === CR || d === QUOTE) break;
    }
    this.field += text.slice(i, j);
    this.fieldStart = false;
    return j;
  }

  private endField(): void {
    this.row.push(this.field);
    this.field = '';
    this.fieldStart = true;
  }

  private endRecord(out: string[][]): void {
    this.endField();
    out.push(this.row);
    this.row = [];
    this.records++;
  }
}

/** RFC 4180 §2.6: a field with a comma, quote, CR or LF must be quoted. */
function needsQuotes(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === COMMA || c === QUOTE || c === LF || c === CR) return true;
  }
  return false;
}

export function csvField(value: string): string {
  return needsQuotes(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One RFC 4180 record with its CRLF terminator. */
export function csvRecord(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}
