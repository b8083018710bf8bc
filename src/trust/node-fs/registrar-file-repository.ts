/**
 * RegistrarRepository kept in one JSON file under the registrar's data dir
 * (`accreditations.json`), so the CLI and a running registrar share it.
 */
import { z } from 'zod';
import { memberRoles } from '../membership.js';
import type { AccreditationRecord, RegistrarRepository } from '../registrar/ports.js';
import { readJsonFile, writeJsonFileAtomically } from './json-file.js';

const recordSchema = z.object({
  credentialId: z.string(),
  subject: z.string(),
  legalName: z.string(),
  jurisdiction: z.string(),
  roles: z.array(z.enum(memberRoles)),
  issuedAt: z.string(),
  validUntil: z.string(),
  revokedAt: z.string().optional(),
  credential: z.record(z.string(), z.unknown()),
});
const fileSchema = z.array(recordSchema);

export function createJsonFileRegistrarRepository(options: { path: string }): RegistrarRepository {
  const load = (): AccreditationRecord[] => readJsonFile(options.path, fileSchema, []) as AccreditationRecord[];
  return {
    async record(entry) {
      const all = load();
      if (all.some((r) => r.credentialId === entry.credentialId)) throw new Error(`accreditation ${entry.credentialId} is already recorded`);
      writeJsonFileAtomically(options.path, [...all, entry]);
    },
    get: async (credentialId) => load().find((r) => r.credentialId === credentialId),
    list: async () => load(),
    async markRevoked(credentialId, revokedAt) {
      writeJsonFileAtomically(options.path, load().map((r) => (r.credentialId === credentialId ? { ...r, revokedAt } : r)));
    },
  };
}
