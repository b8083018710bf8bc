/**
 * Environment variables that override connector.json (precedence: file < env < flags). Values
 * are strings; integers and booleans are converted only when they are well formed, otherwise the
 * raw string is passed on so the schema refuses it and names the variable.
 */
import { nestValue, type ConfigLayer } from './layers.js';

interface EnvironmentKey {
  readonly variable: string;
  readonly path: ReadonlyArray<string>;
  readonly kind: 'string' | 'integer' | 'boolean';
}

/** Every variable the config reads, for `--help` texts and docs. Secrets are read by `secrets.ts`, not here. */
export const configEnvironmentVariables: ReadonlyArray<EnvironmentKey> = [
  { variable: 'SOVC_NAME', path: ['name'], kind: 'string' },
  { variable: 'SOVC_HOST', path: ['host'], kind: 'string' },
  { variable: 'SOVC_PORT', path: ['port'], kind: 'integer' },
  { variable: 'SOVC_PUBLIC_BASE_URL', path: ['publicBaseUrl'], kind: 'string' },
  { variable: 'SOVC_DATA_DIR', path: ['dataDir'], kind: 'string' },
  { variable: 'SOVC_LOG_LEVEL', path: ['logLevel'], kind: 'string' },
  { variable: 'SOVC_REGISTRAR_ENABLED', path: ['registrar', 'enabled'], kind: 'boolean' },
  { variable: 'SOVC_REGISTRAR_PORT', path: ['registrar', 'port'], kind: 'integer' },
  { variable: 'SOVC_REGISTRAR_PATH', path: ['registrar', 'path'], kind: 'string' },
  { variable: 'SOVC_MAX_BODY_BYTES_MANAGEMENT', path: ['limits', 'managementBodyBytes'], kind: 'integer' },
  { variable: 'SOVC_MAX_BODY_BYTES_DSP', path: ['limits', 'dspBodyBytes'], kind: 'integer' },
  // The conventional name every Postgres tool and host understands.
  { variable: 'DATABASE_URL', path: ['databaseUrl'], kind: 'string' },
];

function convert(raw: string, kind: EnvironmentKey['kind']): unknown {
  if (kind === 'integer' && /^\d+$/.test(raw)) return Number(raw);
  if (kind === 'boolean' && /^(true|1|yes)$/i.test(raw)) return true;
  if (kind === 'boolean' && /^(false|0|no)$/i.test(raw)) return false;
  return raw;
}

/** One layer per variable that is set and non-empty, so errors can name the variable. */
export function environmentLayers(env: Readonly<Record<string, string | undefined>>): ConfigLayer[] {
  return configEnvironmentVariables.flatMap(({ variable, path, kind }) => {
    const raw = env[variable];
    if (raw === undefined || raw.trim() === '') return [];
    return [{ source: `environment variable ${variable}`, values: nestValue(path, convert(raw.trim(), kind)) }];
  });
}
