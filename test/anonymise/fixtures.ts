/** Shared test fixtures: sample datasets from the seeded generator, run in memory. */
import { readFileSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { anonymiseTable, type AnonymisationDeclaration, type KeyedHash } from '../../src/anonymise/index.js';
import { unwrap } from '../../src/errors/index.js';
import { parseDeclaration } from '../../src/anonymise/index.js';

export const UK_DECLARATION = new URL('../../connectors/uk/data/hospital-episodes.anonymisation.json', import.meta.url);
export const UK_DATA = new URL('../../connectors/uk/data/hospital-episodes.csv', import.meta.url);

export function ukDeclaration(change: (d: Record<string, unknown>) => void = () => undefined): AnonymisationDeclaration {
  const raw = JSON.parse(readFileSync(UK_DECLARATION, 'utf8')) as Record<string, unknown>;
  change(raw);
  return unwrap(parseDeclaration(raw));
}

export function bytesOf(text: string | Uint8Array, chunk = 4096): () => AsyncIterable<Uint8Array> {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  return async function* () {
    for (let at = 0; at < bytes.length; at += chunk) yield bytes.subarray(at, at + chunk);
  };
}

/** A keyed hash for tests that do not exercise kms. */
export function hmacHasher(key: string): KeyedHash {
  return (data) => createHmac('sha256', key).update(data).digest();
}

export async function anonymiseText(declaration: AnonymisationDeclaration, input: string | Uint8Array, keyedHash: KeyedHash = hmacHasher('test')) {
  const chunks: Uint8Array[] = [];
  const result = await anonymiseTable({ declaration, open: bytesOf(input, 1000), write: (c) => void chunks.push(c), keyedHash });
  return { result, output: Buffer.concat(chunks).toString('utf8') };
}
