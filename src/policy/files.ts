/**
 * The file adapter of the policy capability (the only module here that touches node:fs): reads
 * the `vocab/` documents, the jurisdiction profiles under `connectors/<partner>/` and the
 * contract templates in `contracts/`, and hands parsed JSON to the pure domain functions.
 * Used by the CLI and the composition root; tests use it too.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fail, ok, type Result } from '../errors/index.js';
import { parseJurisdictionProfiles, type JurisdictionProfiles } from './jurisdiction-profile.js';
import { parseTemplateCatalogue, type TemplateCatalogue } from './templates.js';
import { buildPolicyVocabulary, type PolicyVocabulary } from './vocabulary.js';

export const DEFAULT_VOCAB_DIR = fileURLToPath(new URL('../../vocab/', import.meta.url));
export const DEFAULT_CONNECTORS_DIR = fileURLToPath(new URL('../../connectors/', import.meta.url));
export const DEFAULT_CONTRACTS_DIR = fileURLToPath(new URL('../../contracts/', import.meta.url));

export function readJsonFile(path: string): Result<unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return fail('SOV_NOT_FOUND', `cannot read ${path}: ${(error as Error).message}`, { path });
  }
  try {
    return ok(JSON.parse(text) as unknown);
  } catch (error) {
    return fail('SOV_POLICY_MALFORMED', `${path} is not JSON: ${(error as Error).message}`, { path });
  }
}

/** URL → document for every vocab file; each declares its URL in `$id` (or `@id`), as identity's reader expects. */
export function readVocabularyDocuments(dir: string = DEFAULT_VOCAB_DIR): Result<Map<string, unknown>> {
  const documents = new Map<string, unknown>();
  for (const file of readdirSync(dir).filter((name) => /\.jsonld?$/.test(name)).sort()) {
    const json = readJsonFile(join(dir, file));
    if (!json.ok) return json;
    const { $id, ...document } = json.value as Record<string, unknown>;
    const url = $id ?? document['@id'];
    if (typeof url !== 'string') return fail('SOV_POLICY_VOCABULARY_MISSING', `vocab file ${file} declares no "$id"`);
    documents.set(url, document);
  }
  return ok(documents);
}

export function loadPolicyVocabulary(dir: string = DEFAULT_VOCAB_DIR): Result<PolicyVocabulary> {
  const documents = readVocabularyDocuments(dir);
  return documents.ok ? buildPolicyVocabulary(documents.value) : documents;
}

/** Every `<dir>/<partner>/jurisdiction.json`: adding a partner is adding a folder. */
export function loadJurisdictionProfiles(dir: string = DEFAULT_CONNECTORS_DIR): Result<JurisdictionProfiles> {
  const entries: Array<{ source: string; json: unknown }> = [];
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name, 'jurisdiction.json');
    if (!statSync(join(dir, name)).isDirectory() || !existsSync(file)) continue;
    const json = readJsonFile(file);
    if (!json.ok) return json;
    entries.push({ source: file, json: json.value });
  }
  return parseJurisdictionProfiles(entries);
}

/** `contracts/templates.json` (the index with descriptions) and the JSON-LD file of each template. */
export function loadContractTemplates(dir: string = DEFAULT_CONTRACTS_DIR): Result<TemplateCatalogue> {
  const index = readJsonFile(join(dir, 'templates.json'));
  if (!index.ok) return index;
  return parseTemplateCatalogue(index.value, (file) => readJsonFile(join(dir, file)));
}
