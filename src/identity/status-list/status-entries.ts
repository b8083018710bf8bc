/**
 * Reads a credential's `credentialStatus` (VC DM 2.0 §4.10, BSL §2.1). Status types other than
 * BitstringStatusListEntry cannot be checked here, so they fail closed rather than being ignored.
 */
import { z } from 'zod';
import { fail, ok, type Result } from '../../errors/index.js';
import type { ParsedCredential } from '../verification-checks.js';

const entrySchema = z.looseObject({
  type: z.literal('BitstringStatusListEntry'),
  statusPurpose: z.string().min(1),
  statusListIndex: z.string().regex(/^\d+$/),
  statusListCredential: z.url(),
});

export interface ParsedStatusEntry {
  statusPurpose: string;
  index: number;
  statusListCredential: string;
}

export function parseStatusEntries(credential: ParsedCredential): Result<ParsedStatusEntry[]> {
  const raw = credential['credentialStatus'];
  if (raw === undefined) return ok([]);
  const entries: ParsedStatusEntry[] = [];
  for (const item of [raw].flat()) {
    const parsed = entrySchema.safeParse(item);
    if (!parsed.success) {
      const type = typeof item === 'object' && item !== null ? String((item as { type?: unknown }).type) : typeof item;
      return fail('SOV_IDENTITY_STATUS_UNAVAILABLE', `credentialStatus of type ${type} cannot be checked: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    }
    entries.push({
      statusPurpose: parsed.data.statusPurpose,
      index: Number.parseInt(parsed.data.statusListIndex, 10),
      statusListCredential: parsed.data.statusListCredential,
    });
  }
  return ok(entries);
}
