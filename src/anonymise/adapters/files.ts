/**
 * File adapter: reads declarations (resolving `treeFile` next to the declaration), opens
 * datasets as byte streams and writes the anonymised table and its report to disk.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { fail, ok, type Result } from '../../errors/index.js';
import { anonymiseTable } from '../anonymise.js';
import { canonicalJson } from '../canonical.js';
import { parseDeclaration, type AnonymisationDeclaration } from '../declaration.js';
import type { KeyedHash } from '../pseudonym.js';
import type { AnonymisationReport } from '../report.js';

async function readJson(path: string, what: string): Promise<Result<unknown>> {
  try {
    return ok(JSON.parse(await readFile(path, 'utf8')) as unknown);
  } catch (error) {
    return fail('SOV_ANON_DECLARATION_INVALID', `${what} ${path}: ${(error as Error).message}`);
  }
}

/** Loads and validates a declaration file; `treeFile` paths are relative to it. */
export async function loadDeclarationFile(path: string): Promise<Result<AnonymisationDeclaration>> {
  const raw = await readJson(path, 'declaration');
  if (!raw.ok) return raw;
  const columns = (raw.value as { columns?: unknown }).columns;
  if (Array.isArray(columns)) {
    for (const column of columns as Array<{ name?: string; hierarchy?: { treeFile?: unknown; tree?: unknown } }>) {
      const treeFile = column.hierarchy?.treeFile;
      if (typeof treeFile !== 'string' || column.hierarchy === undefined) continue;
      const tree = await readJson(resolve(dirname(path), treeFile), `column '${column.name ?? '?'}': tree file`);
      if (!tree.ok) return tree;
      column.hierarchy = { ...column.hierarchy, tree: tree.value };
      delete column.hierarchy.treeFile;
    }
  }
  return parseDeclaration(raw.value);
}

export function fileSource(path: string): () => AsyncIterable<Uint8Array> {
  return () => createReadStream(path, { highWaterMark: 256 * 1024 });
}

/** Anonymises `input` into `output` and writes the report as canonical JSON to `reportPath`. */
export async function anonymiseFile(options: {
  declaration: AnonymisationDeclaration;
  input: string;
  output: string;
  reportPath?: string;
  keyedHash?: KeyedHash;
}): Promise<Result<AnonymisationReport>> {
  const sink = createWriteStream(options.output);
  const write = (chunk: Uint8Array): Promise<void> | void => {
    if (!sink.write(chunk)) return new Promise((done) => sink.once('drain', done));
  };
  const result = await anonymiseTable({
    declaration: options.declaration,
    open: fileSource(options.input),
    write,
    ...(options.keyedHash === undefined ? {} : { keyedHash: options.keyedHash }),
  });
  sink.end();
  await finished(sink);
  if (!result.ok) {
    await rm(options.output, { force: true });
    return result;
  }
  if (options.reportPath !== undefined) await writeFile(options.reportPath, `${canonicalJson(result.value)}\n`);
  return result;
}
