/**
 * Turns schema refusals into lines an operator can act on: the source (file or variable), the
 * field path and the problem, e.g. `connectors/uk/connector.json: port: expected an integer
 * between 1 and 65535, got "abc"`.
 */
import type { z } from 'zod';
import { sourceOf, valueAt, type ConfigLayer, type ConfigPath } from './layers.js';

export interface ConfigIssue {
  /** The file or environment variable or flag that supplied the bad value. */
  source: string;
  /** Dotted field path, `(root)` for the whole document. */
  field: string;
  problem: string;
}

function dotted(path: ConfigPath): string {
  if (path.length === 0) return '(root)';
  return path.map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? key : `.${key}`)).join('');
}

function shown(value: unknown): string {
  if (value === undefined) return 'nothing (the key is missing)';
  const json = JSON.stringify(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

function toConfigIssues(issue: z.core.$ZodIssue, merged: unknown, layers: ReadonlyArray<ConfigLayer>): ConfigIssue[] {
  const path = issue.path.filter((key): key is string | number => typeof key !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    // A typo (`prot` for `port`) must not be silently ignored.
    return issue.keys.map((key) => ({
      source: sourceOf(layers, [...path, key]),
      field: dotted([...path, key]),
      problem: 'unknown key (check the spelling; see src/config/schema.ts for the keys)',
    }));
  }
  return [{ source: sourceOf(layers, path), field: dotted(path), problem: `${issue.message}, got ${shown(valueAt(merged, path))}` }];
}

export function describeIssues(
  issues: ReadonlyArray<z.core.$ZodIssue>,
  merged: unknown,
  layers: ReadonlyArray<ConfigLayer>,
): ConfigIssue[] {
  return issues.flatMap((issue) => toConfigIssues(issue, merged, layers));
}

export function issueLine(issue: ConfigIssue): string {
  return `${issue.source}: ${issue.field}: ${issue.problem}`;
}
