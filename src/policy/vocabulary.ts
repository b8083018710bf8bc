/**
 * The data the evaluator reasons with, built once from the documents in `vocab/`: the offline
 * JSON-LD contexts, the ODRL action hierarchy (`includedIn`, transitive, plus `exactMatch` of
 * deprecated actions: odrl.md "Actions"), the purpose and place hierarchies (`skos:broader`,
 * `dct:isPartOf`) and the common classification scale. Pure: callers pass parsed JSON.
 */
import { fail, ok, type Result } from '../errors/index.js';
import { SOV_POLICY_PROFILE, odrl } from './iri.js';

export const ACTIONS_DOCUMENT = 'https://w3id.org/sovereign-connector/vocab/odrl-actions';
export const PLACES_DOCUMENT = 'https://w3id.org/sovereign-connector/vocab/places';
export const PURPOSES_DOCUMENT = 'https://w3id.org/sovereign-connector/vocab/purposes';
export const LEVELS_DOCUMENT = 'https://w3id.org/sovereign-connector/vocab/classification-levels';
const ODRL_CONTEXT_URLS = ['http://www.w3.org/ns/odrl.jsonld', 'https://www.w3.org/ns/odrl.jsonld'];

export interface ActionVocabulary {
  /** True when the IRI is an ODRL action we know (custom actions outside `odrl:` are allowed). */
  isKnown(iri: string): boolean;
  /** The current action a deprecated one stands for (`write` → `modify`), else the IRI itself. */
  canonical(iri: string): string;
  /** A rule on `granted` covers a request for `requested`: same or transitively includedIn. */
  covers(granted: string, requested: string): boolean;
}

export interface PolicyVocabulary {
  readonly contexts: ReadonlyMap<string, unknown>;
  readonly actions: ActionVocabulary;
  /** Every concept the IRI is (transitively) part of / narrower than; undefined when unknown. */
  readonly broader: ReadonlyMap<string, ReadonlySet<string>>;
  /** Common classification scale: level IRI → ordinal, and back. */
  readonly levels: ReadonlyMap<string, number>;
  readonly levelIris: ReadonlyMap<number, string>;
  readonly profiles: ReadonlySet<string>;
}

interface GraphNode {
  id: string;
  links: Map<string, string[]>;
  level?: number;
}

function prefixes(context: unknown): Map<string, string> {
  const map = new Map<string, string>();
  if (typeof context !== 'object' || context === null) return map;
  for (const [key, value] of Object.entries(context)) {
    if (typeof value === 'string' && /[#/]$/.test(value)) map.set(key, value);
  }
  return map;
}

function expander(context: unknown): (value: string) => string {
  const map = prefixes(context);
  return (value) => {
    const colon = value.indexOf(':');
    const namespace = colon > 0 ? map.get(value.slice(0, colon)) : undefined;
    return namespace === undefined ? value : `${namespace}${value.slice(colon + 1)}`;
  };
}

function asStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

/** Reads a small `@graph` data document of `vocab/` without JSON-LD processing. */
function readGraph(document: unknown, relations: readonly string[]): GraphNode[] {
  if (typeof document !== 'object' || document === null) return [];
  const record = document as Record<string, unknown>;
  const expand = expander(record['@context']);
  const graph = Array.isArray(record['@graph']) ? (record['@graph'] as unknown[]) : [];
  const nodes: GraphNode[] = [];
  for (const item of graph) {
    if (typeof item !== 'object' || item === null) continue;
    const node = item as Record<string, unknown>;
    if (typeof node['@id'] !== 'string') continue;
    const links = new Map<string, string[]>();
    for (const relation of relations) links.set(relation, asStrings(node[relation]).map(expand));
    const level = typeof node['level'] === 'number' ? node['level'] : undefined;
    nodes.push(level === undefined ? { id: expand(node['@id']), links } : { id: expand(node['@id']), links, level });
  }
  return nodes;
}

/** Transitive closure of a parent relation (cycles are tolerated: each node is visited once). */
function closure(parents: ReadonlyMap<string, readonly string[]>): Map<string, Set<string>> {
  const result = new Map<string, Set<string>>();
  for (const start of parents.keys()) {
    const seen = new Set<string>();
    const stack = [...(parents.get(start) ?? [])];
    while (stack.length > 0) {
      const next = stack.pop() as string;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...(parents.get(next) ?? []));
    }
    result.set(start, seen);
  }
  return result;
}

function buildActions(document: unknown): ActionVocabulary {
  const nodes = readGraph(document, ['includedIn', 'exactMatch']);
  const parents = new Map<string, string[]>();
  const exact = new Map<string, string>();
  for (const node of nodes) {
    parents.set(node.id, node.links.get('includedIn') ?? []);
    const match = node.links.get('exactMatch')?.[0];
    if (match !== undefined) exact.set(node.id, match);
  }
  const ancestors = closure(parents);
  const canonical = (iri: string): string => exact.get(iri) ?? iri;
  return {
    isKnown: (iri) => parents.has(iri),
    canonical,
    covers: (granted, requested) => {
      const wanted = canonical(requested);
      const rule = canonical(granted);
      return wanted === rule || (ancestors.get(wanted)?.has(rule) ?? false);
    },
  };
}

function buildLevels(document: unknown): Map<string, number> {
  const levels = new Map<string, number>();
  for (const node of readGraph(document, [])) if (node.level !== undefined) levels.set(node.id, node.level);
  return levels;
}

/**
 * Builds the vocabulary from URL → document (the `vocab/` files). Fails when the action
 * hierarchy or the classification scale is missing: the evaluator cannot decide without them.
 */
export function buildPolicyVocabulary(documents: ReadonlyMap<string, unknown>): Result<PolicyVocabulary> {
  const actionsDocument = documents.get(ACTIONS_DOCUMENT);
  const levelsDocument = documents.get(LEVELS_DOCUMENT);
  if (actionsDocument === undefined || levelsDocument === undefined) {
    return fail('SOV_POLICY_VOCABULARY_MISSING', `vocab/ lacks ${actionsDocument === undefined ? ACTIONS_DOCUMENT : LEVELS_DOCUMENT}`);
  }
  const contexts = new Map(documents);
  const odrlContext = ODRL_CONTEXT_URLS.map((url) => documents.get(url)).find((doc) => doc !== undefined);
  if (odrlContext === undefined) return fail('SOV_POLICY_VOCABULARY_MISSING', 'vocab/ lacks the pinned ODRL context');
  for (const url of ODRL_CONTEXT_URLS) contexts.set(url, odrlContext);
  const parents = new Map<string, string[]>();
  for (const url of [PLACES_DOCUMENT, PURPOSES_DOCUMENT]) {
    for (const node of readGraph(documents.get(url), ['broader', 'isPartOf'])) {
      parents.set(node.id, [...(node.links.get('broader') ?? []), ...(node.links.get('isPartOf') ?? [])]);
    }
  }
  const levels = buildLevels(levelsDocument);
  return ok({
    contexts,
    actions: buildActions(actionsDocument),
    broader: closure(parents),
    levels,
    levelIris: new Map([...levels].map(([iri, level]) => [level, iri])),
    profiles: new Set([SOV_POLICY_PROFILE, odrl('core')]),
  });
}
