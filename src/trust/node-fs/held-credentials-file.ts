/**
 * HeldCredentialStore kept in one JSON file under the connector's data dir
 * (`held-credentials.json`), written atomically.
 */
import { z } from 'zod';
import type { HeldCredentialStore } from '../held-credentials.js';
import { readJsonFile, writeJsonFileAtomically } from './json-file.js';

const fileSchema = z.array(z.record(z.string(), z.unknown()));

export function createJsonFileHeldCredentialStore(options: { path: string }): HeldCredentialStore {
  const load = (): Array<Record<string, unknown>> => readJsonFile(options.path, fileSchema, []);
  return {
    list: async () => load(),
    async add(credential) {
      const others = load().filter((held) => credential['id'] === undefined || held['id'] !== credential['id']);
      writeJsonFileAtomically(options.path, [...others, credential]);
    },
  };
}
