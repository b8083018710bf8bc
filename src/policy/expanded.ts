/**
 * Reading expanded JSON-LD (every property an absolute IRI, every value an array) and the
 * problems found while compiling, each with the JSON path of the offending value. Expansion
 * keeps array order, so a path such as `$.permission[0].constraint[1].operator` names the same
 * value in the compact document an admin wrote.
 */
import type { ErrorCode } from '../errors/index.js';
import { ODRL, displayIri } from './iri.js';

export type Node = Record<string, unknown>;

export interface PolicyProblem {
  code: ErrorCode;
  /** JSON path in the policy document, e.g. `$.permission[0].constraint[1].rightOperand`. */
  path: string;
  message: string;
  /** Errors make the policy unevaluable (denied); warnings are reported by `policy check` only. */
  severity: 'error' | 'warning';
}

export interface CompileState {
  problems: PolicyProblem[];
  /** Nodes with an `@id` and content, for constraints and parties given by reference. */
  index: ReadonlyMap<string, { node: Node; path: string }>;
}

export function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function valuesOf(node: Node, property: string): unknown[] {
  const value = node[property];
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  // An `@list` (ordered) is read as its items: ODRL operands and right operands may be lists.
  return list.flatMap((item) => (isNode(item) && Array.isArray(item['@list']) ? (item['@list'] as unknown[]) : [item]));
}

export function idOf(value: unknown): string | undefined {
  return isNode(value) && typeof value['@id'] === 'string' ? value['@id'] : undefined;
}

export function idsOf(node: Node, property: string): string[] {
  return valuesOf(node, property)
    .map(idOf)
    .filter((id): id is string => id !== undefined);
}

export function typesOf(node: Node): string[] {
  const types = node['@type'];
  return Array.isArray(types) ? types.filter((type): type is string => typeof type === 'string') : [];
}

/** `$.permission[0]`: ODRL properties by their term, others by full IRI. */
export function childPath(path: string, property: string, index?: number): string {
  const name = property.startsWith(ODRL) ? property.slice(ODRL.length) : `["${displayIri(property)}"]`;
  const step = name.startsWith('[') ? `${path}${name}` : `${path}.${name}`;
  return index === undefined ? step : `${step}[${index}]`;
}

export function problem(state: CompileState, code: ErrorCode, path: string, message: string): void {
  state.problems.push({ code, path, message, severity: 'error' });
}

export function warning(state: CompileState, code: ErrorCode, path: string, message: string): void {
  state.problems.push({ code, path, message, severity: 'warning' });
}

/** Follows a reference (`{"@id": x}` only) to the node defined elsewhere in the document. */
export function dereference(state: CompileState, value: unknown, path: string): { node: Node; path: string } | undefined {
  if (!isNode(value)) return undefined;
  const id = idOf(value);
  const keys = Object.keys(value);
  if (id !== undefined && keys.length === 1) return state.index.get(id) ?? { node: value, path };
  return { node: value, path };
}

/** Indexes every node that has an `@id` and at least one property, with where it was defined. */
export function indexNodes(root: unknown, path: string, index: Map<string, { node: Node; path: string }>): void {
  if (Array.isArray(root)) {
    root.forEach((item, position) => indexNodes(item, `${path}[${position}]`, index));
    return;
  }
  if (!isNode(root)) return;
  const id = idOf(root);
  if (id !== undefined && Object.keys(root).length > 1 && !index.has(id)) index.set(id, { node: root, path });
  for (const [key, value] of Object.entries(root)) {
    if (key.startsWith('@') && key !== '@graph' && key !== '@list') continue;
    if (Array.isArray(value)) value.forEach((item, position) => indexNodes(item, childPath(path, key, position), index));
  }
}

/** Flags properties in the ODRL namespace we do not interpret: ignoring them could grant too much. */
export function rejectUnknownOdrl(state: CompileState, node: Node, path: string, allowed: ReadonlySet<string>): void {
  for (const key of Object.keys(node)) {
    if (key.startsWith(ODRL) && !allowed.has(key)) {
      problem(state, 'SOV_POLICY_UNSUPPORTED_FEATURE', childPath(path, key), `${displayIri(key)} is not supported here`);
    }
  }
}
