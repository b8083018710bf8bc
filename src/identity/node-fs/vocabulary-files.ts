/**
 * Reads the JSON-LD documents shipped in `vocab/` (our `sov:` and gx-subset contexts, pinned
 * copies of the DSP 2025-1 contexts, and whatever other capabilities add). Each file declares
 * the URL it is served under in a top-level `"$id"` (or, for a plain JSON-LD document, `"@id"`);
 * `$id` is removed before serving so pinned copies are served exactly as published. A file
 * that declares no URL, or a URL declared twice, is a packaging bug and throws.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEFAULT_VOCAB_DIR = fileURLToPath(new URL('../../../vocab/', import.meta.url));

function documentUrl(file: string, json: unknown): string {
  const record = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
  const declared = record['$id'] ?? record['@id'];
  if (typeof declared !== 'string' || !/^https?:\/\//.test(declared)) {
    throw new Error(`vocab file ${file} declares no "$id" (the URL it is served under)`);
  }
  return declared;
}

/** URL → document for every `*.json` / `*.jsonld` file in `dir` (default: the repo's vocab/). */
export function readVocabularyFiles(dir: string = DEFAULT_VOCAB_DIR): Map<string, Record<string, unknown>> {
  const documents = new Map<string, Record<string, unknown>>();
  const files = readdirSync(dir).filter((name) => /\.jsonld?$/.test(name)).sort();
  for (const file of files) {
    const json = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
    const url = documentUrl(file, json);
    if (documents.has(url)) throw new Error(`vocab file ${file} declares ${url}, already declared by another file`);
    const { $id: _declaration, ...document } = json;
    documents.set(url, document);
  }
  return documents;
}
