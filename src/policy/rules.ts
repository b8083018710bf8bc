/**
 * Rules, atomised (odrl.md "Policy types": a rule with several actions, targets or assignees
 * stands for several atomic rules, ODRL-Evaluator#5), with their action (and its refinements),
 * target asset or AssetCollection, assignee party or PartyCollection (membership through the
 * world's `partOf` or the verified memberships, keyed on the collection's IRI or its `source`:
 * ODRL-Evaluator#8), constraints and duties.
 */
import { ODRL, displayIri, isAbsoluteIri, odrl, RDF_VALUE } from './iri.js';
import { compileConstraint, compileConstraints, compileParameter, type CompiledConstraint } from './constraints.js';
import { isDutyParameter } from './duty-parameters.js';
import {
  childPath, dereference, idOf, idsOf, isNode, problem, rejectUnknownOdrl, typesOf, valuesOf,
  type CompileState, type Node,
} from './expanded.js';
import type { DutyParameter, DutyTiming } from './report.js';
import type { PolicyVocabulary } from './vocabulary.js';

export interface CompiledAction {
  iri: string;
  refinements: CompiledConstraint[];
}

/** A party or asset: matches by IRI, or by membership of the collection (`@id` or `source`) plus refinements. */
export interface CompiledEntity {
  display: string;
  ids: string[];
  refinements: CompiledConstraint[];
}

export interface CompiledDuty {
  id: string;
  path: string;
  action: string;
  timing: DutyTiming;
  parameters: DutyParameter[];
  constraints: CompiledConstraint[];
  consequences: CompiledDuty[];
}

export interface CompiledRule {
  id: string;
  path: string;
  kind: 'permission' | 'prohibition';
  action: CompiledAction;
  target: CompiledEntity | undefined;
  assignee: CompiledEntity | undefined;
  assigner: string | undefined;
  constraints: CompiledConstraint[];
  duties: CompiledDuty[];
}

/** Policy-level properties every rule inherits unless it states its own (IM §2.7.1). */
export interface Inherited {
  action: unknown[];
  target: unknown[];
  assignee: unknown[];
  assigner: unknown[];
}

const PARTY_FUNCTIONS = [
  'attributedParty', 'attributingParty', 'compensatedParty', 'compensatingParty', 'consentingParty', 'consentedParty',
  'informedParty', 'informingParty', 'trackingParty', 'trackedParty', 'contractingParty', 'contractedParty',
].map(odrl);
const RULE_PROPERTIES = new Set(['action', 'target', 'assignee', 'assigner', 'constraint', 'duty', 'remedy'].map(odrl));
const DUTY_PROPERTIES = new Set([...['action', 'target', 'assignee', 'assigner', 'constraint', 'consequence'].map(odrl), ...PARTY_FUNCTIONS]);
const ENTITY_PROPERTIES = new Set(['source', 'refinement', 'partOf'].map(odrl));

function compileAction(state: CompileState, value: unknown, path: string, vocabulary: PolicyVocabulary): CompiledAction | undefined {
  const resolved = dereference(state, value, path);
  const node = resolved?.node;
  const iri = node === undefined ? undefined : (idsOf(node, RDF_VALUE)[0] ?? idOf(node));
  if (node === undefined || iri === undefined || !isAbsoluteIri(iri)) {
    problem(state, 'SOV_POLICY_MALFORMED', path, 'an action must be an IRI (or an object with rdf:value)');
    return undefined;
  }
  if (iri.startsWith(ODRL) && !vocabulary.actions.isKnown(iri)) {
    problem(state, 'SOV_POLICY_UNKNOWN_ACTION', path, `action ${displayIri(iri)} is not an ODRL 2.2 action`);
    return undefined;
  }
  return { iri, refinements: compileConstraints(state, node, path, odrl('refinement'), vocabulary) };
}

function compileEntity(state: CompileState, value: unknown, path: string, vocabulary: PolicyVocabulary): CompiledEntity | undefined {
  const resolved = dereference(state, value, path);
  if (resolved === undefined) {
    problem(state, 'SOV_POLICY_MALFORMED', path, 'a party or asset must be an IRI or an object');
    return undefined;
  }
  const { node } = resolved;
  rejectUnknownOdrl(state, node, resolved.path, ENTITY_PROPERTIES);
  const own = idOf(node);
  const ids = [...(own !== undefined && !own.startsWith('_:') ? [own] : []), ...idsOf(node, odrl('source'))];
  if (ids.length === 0) {
    problem(state, 'SOV_POLICY_MALFORMED', resolved.path, 'a party or asset needs an IRI or a source collection');
    return undefined;
  }
  const isCollection = typesOf(node).some((type) => type === odrl('PartyCollection') || type === odrl('AssetCollection'));
  const display = isCollection ? `collection ${displayIri(ids[0] as string)}` : displayIri(ids[0] as string);
  return { display, ids, refinements: compileConstraints(state, node, resolved.path, odrl('refinement'), vocabulary) };
}

function compileList<T>(state: CompileState, values: unknown[], path: string, property: string, compile: (value: unknown, path: string) => T | undefined): T[] {
  return values.map((value, index) => compile(value, childPath(path, property, index))).filter((item): item is T => item !== undefined);
}

/**
 * A duty's constraints (ODRL IM §2.6: conditions on the duty). Under the sov profile the
 * constraints of an `anonymize` duty on k, l or suppression are its parameters instead
 * (duty-parameters.ts: DSP carries no action refinements): they are appended to `parameters`.
 */
function compileDutyConstraints(state: CompileState, node: Node, path: string, actionIri: string, vocabulary: PolicyVocabulary, parameters: DutyParameter[]): CompiledConstraint[] {
  const constraints: CompiledConstraint[] = [];
  for (const [index, item] of valuesOf(node, odrl('constraint')).entries()) {
    const itemPath = childPath(path, odrl('constraint'), index);
    if (isDutyParameter(state, actionIri, item, itemPath)) {
      const parameter = compileParameter(state, item, itemPath, vocabulary);
      if (parameter !== undefined) parameters.push(parameter);
      continue;
    }
    const constraint = compileConstraint(state, item, itemPath, vocabulary);
    if (constraint !== undefined) constraints.push(constraint);
  }
  return constraints;
}

export function compileDuty(state: CompileState, value: unknown, path: string, timing: DutyTiming, vocabulary: PolicyVocabulary): CompiledDuty | undefined {
  const resolved = dereference(state, value, path);
  if (resolved === undefined) {
    problem(state, 'SOV_POLICY_MALFORMED', path, 'a duty must be an object');
    return undefined;
  }
  const { node } = resolved;
  rejectUnknownOdrl(state, node, resolved.path, DUTY_PROPERTIES);
  const actions = valuesOf(node, odrl('action'));
  if (actions.length !== 1) {
    problem(state, 'SOV_POLICY_MALFORMED', childPath(resolved.path, odrl('action')), 'a duty needs exactly one action');
    return undefined;
  }
  const actionPath = childPath(resolved.path, odrl('action'), 0);
  const action = compileAction(state, actions[0], actionPath, vocabulary);
  if (action === undefined) return undefined;
  const actionNode = dereference(state, actions[0], actionPath)?.node ?? {};
  const parameters = valuesOf(actionNode, odrl('refinement'))
    .map((item, index) => compileParameter(state, item, childPath(actionPath, odrl('refinement'), index), vocabulary))
    .filter((item): item is DutyParameter => item !== undefined);
  const constraints = compileDutyConstraints(state, node, resolved.path, action.iri, vocabulary, parameters);
  const uid = idOf(node);
  return {
    id: uid !== undefined && !uid.startsWith('_:') ? uid : resolved.path,
    path: resolved.path,
    action: action.iri,
    timing,
    parameters,
    constraints,
    consequences: compileList(state, valuesOf(node, odrl('consequence')), resolved.path, odrl('consequence'), (item, itemPath) =>
      compileDuty(state, item, itemPath, 'consequence', vocabulary)),
  };
}

function own(node: Node, property: string, inherited: unknown[]): unknown[] {
  const values = valuesOf(node, property);
  return values.length > 0 ? values : inherited;
}

/** Compiles one rule into its atomic rules (one per action × target × assignee). */
export function compileRule(
  state: CompileState,
  value: unknown,
  path: string,
  kind: 'permission' | 'prohibition',
  inherited: Inherited,
  vocabulary: PolicyVocabulary,
): CompiledRule[] {
  const resolved = dereference(state, value, path);
  if (resolved === undefined || !isNode(resolved.node)) {
    problem(state, 'SOV_POLICY_MALFORMED', path, `a ${kind} must be an object`);
    return [];
  }
  const { node } = resolved;
  rejectUnknownOdrl(state, node, resolved.path, RULE_PROPERTIES);
  const compileEach = <T>(property: string, compile: (item: unknown, itemPath: string) => T | undefined): T[] =>
    compileList(state, own(node, odrl(property), inherited[property as keyof Inherited]), resolved.path, odrl(property), compile);
  const actions = compileEach('action', (item, itemPath) => compileAction(state, item, itemPath, vocabulary));
  if (actions.length === 0 && valuesOf(node, odrl('action')).length === 0 && inherited.action.length === 0) {
    problem(state, 'SOV_POLICY_MALFORMED', resolved.path, `the ${kind} has no action`);
  }
  const targets: Array<CompiledEntity | undefined> = compileEach('target', (item, itemPath) => compileEntity(state, item, itemPath, vocabulary));
  const assignees: Array<CompiledEntity | undefined> = compileEach('assignee', (item, itemPath) => compileEntity(state, item, itemPath, vocabulary));
  const assigner = own(node, odrl('assigner'), inherited.assigner).map(idOf)[0];
  const constraints = compileConstraints(state, node, resolved.path, odrl('constraint'), vocabulary);
  const dutyProperty = kind === 'permission' ? odrl('duty') : odrl('remedy');
  const duties = compileList(state, valuesOf(node, dutyProperty), resolved.path, dutyProperty, (item, itemPath) =>
    compileDuty(state, item, itemPath, kind === 'permission' ? 'pre-condition' : 'remedy', vocabulary));
  const uid = idOf(node);
  const id = uid !== undefined && !uid.startsWith('_:') ? uid : resolved.path;
  const atoms: CompiledRule[] = [];
  for (const action of actions) {
    for (const target of targets.length > 0 ? targets : [undefined]) {
      for (const assignee of assignees.length > 0 ? assignees : [undefined]) {
        atoms.push({ id, path: resolved.path, kind, action, target, assignee, assigner, constraints, duties });
      }
    }
  }
  return atoms;
}
