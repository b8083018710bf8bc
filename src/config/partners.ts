/**
 * Finding and loading partners (CLI, federation, tests): `connectors/<code>/connector.json` under the
 * project root, validated, with the partner's secrets (generated on first use).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectorConfigPath, loadConnectorConfig, type ConfigOverrides } from './load.js';
import type { ConnectorConfig } from './resolve.js';
import { ensureSecrets, type ConnectorSecrets } from './secrets.js';
import { fail, ok, type Result } from '../errors/index.js';

export const PROJECT_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** Partner codes with a connector.json, sorted. */
export function partnerCodes(root: string = PROJECT_ROOT): string[] {
  const dir = join(root, 'connectors');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'connector.json')))
    .map((entry) => entry.name)
    .sort();
}

export interface LoadedPartner {
  config: ConnectorConfig;
  secrets: ConnectorSecrets;
}

export function loadPartner(code: string, options: { root?: string; env?: NodeJS.ProcessEnv; overrides?: ConfigOverrides } = {}): Result<LoadedPartner> {
  const root = options.root ?? PROJECT_ROOT;
  const file = connectorConfigPath(root, code);
  if (!existsSync(file)) {
    return fail('SOV_CONFIG_NOT_FOUND', `no partner "${code}": ${file} does not exist (known: ${partnerCodes(root).join(', ') || 'none'})`);
  }
  const config = loadConnectorConfig({ file, projectRoot: root, ...(options.env ? { env: options.env } : {}), ...(options.overrides ? { overrides: options.overrides } : {}) });
  if (!config.ok) return config;
  const secrets = ensureSecrets(config.value.dataDir, options.env);
  return secrets.ok ? ok({ config: config.value, secrets: secrets.value }) : secrets;
}
