/**
 * Precedence (conventions §12): defaults < file < environment < command-line flags. Each source
 * is a layer of plain values; layers merge key by key (arrays replace, objects merge), and each
 * layer keeps its label so a refusal names where the bad value came from.
 */

export type ConfigPath = ReadonlyArray<string | number>;

export interface ConfigLayer {
  /** Where these values came from, as shown in errors: a file path, `environment variable SOVC_PORT`, … */
  readonly source: string;
  readonly values: Readonly<Record<string, unknown>>;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mergeTwo(base: unknown, top: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(top)) return top;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(top)) {
    if (value !== undefined) merged[key] = mergeTwo(base[key], value);
  }
  return merged;
}

/** Merges layers lowest precedence first. A non-object file (say, a JSON array) is kept so the schema can refuse it. */
export function mergeLayers(layers: ReadonlyArray<ConfigLayer>): unknown {
  return layers.reduce<unknown>((merged, layer) => mergeTwo(merged, layer.values), {});
}

/** Sets `value` at `path` in a fresh nested object: `{registrar: {port: value}}` for `['registrar', 'port']`. */
export function nestValue(path: ReadonlyArray<string>, value: unknown): Record<string, unknown> {
  return path.reduceRight<Record<string, unknown>>((inner, key) => ({ [key]: inner }), value as Record<string, unknown>);
}

export function valueAt(root: unknown, path: ConfigPath): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

function defines(values: unknown, path: ConfigPath): boolean {
  for (let depth = 1; depth <= path.length; depth += 1) {
    const value = valueAt(values, path.slice(0, depth));
    if (value === undefined) return false;
    // A scalar or array above the leaf replaced the whole structure: this layer is to blame.
    if (depth < path.length && (typeof value !== 'object' || value === null || Array.isArray(value))) return true;
  }
  return true;
}

/** The highest-precedence layer that supplied the value at `path`, or the lowest (the file) when none did. */
export function sourceOf(layers: ReadonlyArray<ConfigLayer>, path: ConfigPath): string {
  if (path.length === 0) return layers[0]?.source ?? 'configuration';
  for (let index = layers.length - 1; index >= 0; index -= 1) {
    const layer = layers[index];
    if (layer !== undefined && defines(layer.values, path)) return layer.source;
  }
  return layers[0]?.source ?? 'configuration';
}
