/**
 * Compiling a policy (odrl.md "Policy types", "Rules", "Conflicts"): expand offline, find the one
 * policy node, apply policy-level parties/target/action to every rule, atomise rules, resolve
 * IRIs and turn constraints into closures. Anything not understood becomes a problem; a policy
 * with problems is kept (so the report can say why) but every decision on it is a denial.
 */
import { canonicalJson, sha256Hex } from './report.js';
import { displayIri, odrl } from './iri.js';
import { expandOffline } from './expand.js';
import {
  childPath, idOf, idsOf, indexNodes, isNode, problem, rejectUnknownOdrl, typesOf, valuesOf, warning,
  type CompileState, type Node, type PolicyProblem,
} from './expanded.js';
import { compileDuty, compileRule, type CompiledDuty, type CompiledRule, type Inherited } from './rules.js';
import type { PolicyVocabulary } from './vocabulary.js';

export type ConflictStrategy = 'perm' | 'prohibit' | 'invalid';

export interface CompiledPolicy {
  readonly uid: string;
  readonly type: string;
  /** `sha-256:<hex>` of the canonical JSON of the document as given: the cache key. */
  readonly digest: string;
  readonly conflict: ConflictStrategy;
  readonly conflictSource: 'policy' | 'default';
  readonly permissions: readonly CompiledRule[];
  readonly prohibitions: readonly CompiledRule[];
  readonly obligations: readonly CompiledDuty[];
  readonly problems: readonly PolicyProblem[];
  readonly vocabulary: PolicyVocabulary;
}

const POLICY_TYPES = ['Policy', 'Set', 'Offer', 'Agreement', 'Request', 'Ticket', 'Assertion', 'Privacy'].map(odrl);
const POLICY_PROPERTIES = new Set(
  ['permission', 'prohibition', 'obligation', 'profile', 'conflict', 'inheritFrom', 'assigner', 'assignee', 'target', 'action'].map(odrl),
);
const CONFLICTS: ReadonlyMap<string, ConflictStrategy> = new Map([
  [odrl('perm'), 'perm'],
  [odrl('prohibit'), 'prohibit'],
  [odrl('invalid'), 'invalid'],
]);

export function documentDigest(document: unknown): string {
  return `sha-256:${sha256Hex(canonicalJson(document))}`;
}

function emptyPolicy(digest: string, problems: PolicyProblem[], vocabulary: PolicyVocabulary): CompiledPolicy {
  return { uid: '(unknown)', type: '(unknown)', digest, conflict: 'invalid', conflictSource: 'default', permissions: [], prohibitions: [], obligations: [], problems, vocabulary };
}

function findPolicy(state: CompileState, expanded: unknown[]): Node | undefined {
  const policies = [...state.index.values()].map((entry) => entry.node).concat(expanded.filter(isNode))
    .filter((node, position, all) => all.indexOf(node) === position)
    .filter((node) => typesOf(node).some((type) => POLICY_TYPES.includes(type)));
  if (policies.length !== 1) {
    problem(state, 'SOV_POLICY_MALFORMED', '$', policies.length === 0
      ? 'no ODRL policy found: the document needs one node typed Set, Offer, Agreement (or another Policy subclass)'
      : `the document holds ${policies.length} policies; give one per document`);
    return undefined;
  }
  return policies[0];
}

function conflictOf(state: CompileState, policy: Node): { conflict: ConflictStrategy; conflictSource: 'policy' | 'default' } {
  const declared = idsOf(policy, odrl('conflict'));
  if (declared.length === 0) return { conflict: 'invalid', conflictSource: 'default' };
  const conflict = CONFLICTS.get(declared[0] as string);
  if (conflict === undefined || declared.length > 1) {
    problem(state, 'SOV_POLICY_MALFORMED', childPath('$', odrl('conflict')), `conflict must be one of perm, prohibit, invalid`);
    return { conflict: 'invalid', conflictSource: 'default' };
  }
  return { conflict, conflictSource: 'policy' };
}

function checkParties(state: CompileState, policy: Node, type: string, rules: readonly CompiledRule[]): void {
  const hasAssigner = rules.every((rule) => rule.assigner !== undefined);
  const hasAssignee = rules.every((rule) => rule.assignee !== undefined);
  if (type === odrl('Agreement') && (!hasAssigner || !hasAssignee)) {
    problem(state, 'SOV_POLICY_MALFORMED', '$', 'an Agreement needs an assigner and an assignee for every rule (IM §2.1.3)');
  }
  if (type === odrl('Offer') && !hasAssigner) {
    warning(state, 'SOV_POLICY_MALFORMED', '$', 'an Offer should name its assigner (IM §2.1.2); DSP catalogue offers may leave it to the dataset');
  }
  if (idsOf(policy, odrl('inheritFrom')).length > 0) {
    problem(state, 'SOV_POLICY_UNSUPPORTED_FEATURE', childPath('$', odrl('inheritFrom')), 'inheritFrom is not supported: give the merged policy');
  }
}

function compileNode(state: CompileState, policy: Node, vocabulary: PolicyVocabulary): Omit<CompiledPolicy, 'digest' | 'problems' | 'vocabulary'> {
  rejectUnknownOdrl(state, policy, '$', POLICY_PROPERTIES);
  for (const [index, profile] of idsOf(policy, odrl('profile')).entries()) {
    if (!vocabulary.profiles.has(profile)) {
      problem(state, 'SOV_POLICY_UNSUPPORTED_PROFILE', childPath('$', odrl('profile'), index), `profile ${profile} is not supported; the policy cannot be evaluated`);
    }
  }
  const type = typesOf(policy).find((item) => POLICY_TYPES.includes(item)) as string;
  const inherited: Inherited = {
    action: valuesOf(policy, odrl('action')),
    target: valuesOf(policy, odrl('target')),
    assignee: valuesOf(policy, odrl('assignee')),
    assigner: valuesOf(policy, odrl('assigner')),
  };
  const rules = (kind: 'permission' | 'prohibition'): CompiledRule[] =>
    valuesOf(policy, odrl(kind)).flatMap((rule, index) => compileRule(state, rule, childPath('$', odrl(kind), index), kind, inherited, vocabulary));
  const permissions = rules('permission');
  const prohibitions = rules('prohibition');
  const obligations = valuesOf(policy, odrl('obligation'))
    .map((duty, index) => compileDuty(state, duty, childPath('$', odrl('obligation'), index), 'obligation', vocabulary))
    .filter((duty): duty is CompiledDuty => duty !== undefined);
  if (permissions.length + prohibitions.length + obligations.length === 0 && state.problems.length === 0) {
    problem(state, 'SOV_POLICY_MALFORMED', '$', 'the policy has no permission, prohibition or obligation');
  }
  checkParties(state, policy, type, [...permissions, ...prohibitions]);
  const uid = idOf(policy);
  if (uid === undefined || uid.startsWith('_:')) warning(state, 'SOV_POLICY_MALFORMED', '$', 'the policy has no uid');
  return { uid: uid ?? '(none)', type: displayIri(type), ...conflictOf(state, policy), permissions, prohibitions, obligations };
}

/** Compiles a policy document (compact or expanded JSON-LD object, or its JSON text). Never throws. */
export async function compilePolicy(document: unknown, options: { vocabulary: PolicyVocabulary }): Promise<CompiledPolicy> {
  const { vocabulary } = options;
  let input = document;
  if (typeof document === 'string') {
    try {
      input = JSON.parse(document) as unknown;
    } catch (error) {
      const problems: PolicyProblem[] = [{ code: 'SOV_POLICY_MALFORMED', path: '$', message: `not JSON: ${(error as Error).message}`, severity: 'error' }];
      return emptyPolicy(documentDigest(document), problems, vocabulary);
    }
  }
  const digest = documentDigest(input);
  if (!isNode(input) && !Array.isArray(input)) {
    return emptyPolicy(digest, [{ code: 'SOV_POLICY_MALFORMED', path: '$', message: 'a policy must be a JSON object', severity: 'error' }], vocabulary);
  }
  const expanded = await expandOffline(input, vocabulary.contexts);
  if (!expanded.ok) return emptyPolicy(digest, [expanded.problem], vocabulary);
  const index = new Map<string, { node: Node; path: string }>();
  const roots = expanded.expanded.length === 1 ? expanded.expanded[0] : expanded.expanded;
  indexNodes(roots, '$', index);
  const state: CompileState = { problems: [], index };
  const policy = findPolicy(state, expanded.expanded);
  if (policy === undefined) return emptyPolicy(digest, state.problems, vocabulary);
  const compiled = compileNode(state, policy, vocabulary);
  return { ...compiled, digest, problems: state.problems, vocabulary };
}
