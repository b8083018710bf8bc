/**
 * Registrars of partners that run elsewhere (their own process or container): each publishes
 * its trust-list entry (`sovc registrar init --out FILE`) and an operator places the files in
 * one folder, `SOVC_TRUST_DIR`; the local federation adds them to its connectors' trust lists.
 * That folder is the out-of-band channel identity.md §7.4 asks pinned keys to travel by. The
 * entries are validated by the connector config schema when merged.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrustedRegistrar } from '../config/index.js';
import { fail, ok, type Result } from '../errors/index.js';

export function readTrustDir(dir: string | undefined): Result<TrustedRegistrar[]> {
  if (dir === undefined || dir === '') return ok([]);
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.json')).sort();
  } catch (error) {
    return fail('SOV_CONFIG_INVALID', `SOVC_TRUST_DIR ${dir} cannot be read: ${(error as Error).message}`);
  }
  const entries: TrustedRegistrar[] = [];
  for (const name of names) {
    try {
      entries.push(JSON.parse(readFileSync(join(dir, name), 'utf8')) as TrustedRegistrar);
    } catch (error) {
      return fail('SOV_CONFIG_INVALID', `${join(dir, name)}: not a JSON trust-list entry (${(error as Error).message})`);
    }
  }
  return ok(entries);
}
