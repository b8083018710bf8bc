/**
 * Loads one connector's configuration, once, at the composition root: connector.json, then the
 * environment, then command-line overrides, validated by the schema and deeply frozen.
 */
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { z } from 'zod';
import { fail, ok, type Result } from '../errors/index.js';
import { environmentLayers } from './env.js';
import { describeIssues, issueLine } from './issues.js';
import { readJsonFile } from './json-file.js';
import { mergeLayers, type ConfigLayer } from './layers.js';
import { connectorConfigSchema, deepFreeze, type ConnectorConfig } from './resolve.js';
import type { connectorFileSchema } from './schema.js';

type DeepPartial<T> = T extends ReadonlyArray<unknown> ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/** Values from command-line flags; the highest precedence. Validated like the file. */
export type ConfigOverrides = DeepPartial<z.input<typeof connectorFileSchema>>;

export interface LoadConfigOptions {
  /** Path of connector.json, e.g. `connectors/uk/connector.json`. */
  file: string;
  /** Base of relative paths such as dataDir; default: two folders above the file's folder (`connectors/<partner>/..`). */
  projectRoot?: string;
  /** Default: `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  overrides?: ConfigOverrides;
  /** Label for `overrides` in error messages; default "command-line flag". */
  overridesSource?: string;
}

/** `connectors/<partner>/connector.json` under a project root. */
export function connectorConfigPath(projectRoot: string, partner: string): string {
  return join(projectRoot, 'connectors', partner, 'connector.json');
}

function displayName(file: string, projectRoot: string): string {
  const inside = relative(projectRoot, file);
  return inside.startsWith('..') || isAbsolute(inside) ? file : inside;
}

export function loadConnectorConfig(options: LoadConfigOptions): Result<ConnectorConfig> {
  const file = resolve(options.file);
  const projectRoot = resolve(options.projectRoot ?? join(dirname(file), '..', '..'));
  const shown = displayName(file, projectRoot);
  const parsed = readJsonFile(file, shown);
  if (!parsed.ok) return parsed;

  const layers: ConfigLayer[] = [
    { source: shown, values: parsed.value as Record<string, unknown> },
    ...environmentLayers(options.env ?? process.env),
    { source: options.overridesSource ?? 'command-line flag', values: (options.overrides ?? {}) as Record<string, unknown> },
  ];
  // A file that is not an object (say, an array) is refused as it stands; merging would hide it.
  const fileIsObject = typeof parsed.value === 'object' && parsed.value !== null && !Array.isArray(parsed.value);
  const merged = fileIsObject ? mergeLayers(layers) : parsed.value;
  const result = connectorConfigSchema(projectRoot).safeParse(merged);
  if (!result.success) {
    const issues = describeIssues(result.error.issues, merged, layers);
    return fail('SOV_CONFIG_INVALID', issues.map(issueLine).join('\n'), { file: shown, issues });
  }
  return ok(deepFreeze({ ...result.data, configFile: file }) as ConnectorConfig);
}
