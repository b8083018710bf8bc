/**
 * Reads a JSON config file and, when it does not parse, says where: file, line and column
 * (V8 reports only a character offset, which an operator cannot use).
 */
import { readFileSync } from 'node:fs';
import { fail, ok, type Result } from '../errors/index.js';

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

export function parseJsonText(text: string, shownName: string): Result<unknown> {
  const body = text.replace(/^\uFEFF/, '');
  try {
    return ok(JSON.parse(body) as unknown);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const offset = Number(/at position (\d+)/.exec(message)?.[1] ?? body.length);
    const { line, column } = lineAndColumn(body, offset);
    const reason = message.replace(/ in JSON at position \d+.*$/, '').replace(/ of JSON input$/, ' of input');
    return fail('SOV_CONFIG_INVALID', `${shownName}: invalid JSON at line ${line}, column ${column}: ${reason}`, {
      file: shownName,
      line,
      column,
    });
  }
}

export function readJsonFile(path: string, shownName: string): Result<unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    const why = code === 'ENOENT' ? 'no such file' : `cannot read it (${code})`;
    return fail('SOV_CONFIG_NOT_FOUND', `${shownName}: ${why}`, { file: shownName });
  }
  return parseJsonText(text, shownName);
}
