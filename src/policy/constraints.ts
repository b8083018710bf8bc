/**
 * Constraints and logical constraints compiled into closures (ODRL IM §2.5, §2.6). Compiling
 * resolves every IRI, parses every right operand and checks operator/datatype fit once, so
 * evaluation only reads the world and compares. Unknown propagates (three-valued): `and` is
 * false if any operand is false, unknown if any is unknown; `or` true if any is true; `xone`
 * needs every operand known; `andSequence` is `and` in the stated order (a single state of the
 * world cannot show the temporal order, so each operand must simply hold).
 */
import { displayIri, odrl, canonicalIri } from './iri.js';
import { OPERANDS, convert, readOperand, type EvalContext, type OperandSpec } from './operands.js';
import { OPERATORS, ORDERING_OPERATORS, SINGLE_OPERAND_OPERATORS, operatorFor, type Tri } from './operators.js';
import type { ConstraintReport, Rendered, SatisfactionState } from './report.js';
import { datatypeOf, parseRightOperand } from './right-operand.js';
import { instantOf, renderValue, type Value, type ValueKind } from './values.js';
import {
  childPath, dereference, idOf, idsOf, isNode, problem, rejectUnknownOdrl, valuesOf,
  type CompileState, type Node,
} from './expanded.js';
import type { PolicyVocabulary } from './vocabulary.js';

export interface CompiledConstraint {
  readonly path: string;
  evaluate(ctx: EvalContext): ConstraintReport;
}

const LOGICAL = ['and', 'or', 'xone', 'andSequence'].map(odrl);
const CONSTRAINT_PROPERTIES = new Set(
  ['leftOperand', 'operator', 'rightOperand', 'rightOperandReference', 'datatype', 'dataType', 'unit', 'status', ...['and', 'or', 'xone', 'andSequence']].map(odrl),
);

export const stateOf = (value: Tri): SatisfactionState => (value === true ? 'satisfied' : value === false ? 'unsatisfied' : 'unknown');

const OR = odrl('or');
const XONE = odrl('xone');
const EVENT = odrl('event');

function combine(operator: string, states: readonly SatisfactionState[]): Tri {
  const satisfied = states.filter((state) => state === 'satisfied').length;
  const unknown = states.includes('unknown');
  if (operator === OR) return satisfied > 0 ? true : unknown ? undefined : false;
  if (operator === XONE) return unknown ? undefined : satisfied === 1;
  return satisfied === states.length ? true : states.includes('unsatisfied') ? false : undefined;
}

function compileLogical(state: CompileState, node: Node, path: string, operator: string, vocabulary: PolicyVocabulary): CompiledConstraint | undefined {
  const operands = valuesOf(node, operator);
  if (operands.length === 0) {
    problem(state, 'SOV_POLICY_MALFORMED', childPath(path, operator), `${displayIri(operator)} has no constraints`);
    return undefined;
  }
  const children = operands.map((item, index) => compileConstraint(state, item, childPath(path, operator, index), vocabulary));
  if (children.some((child) => child === undefined)) return undefined;
  const compiled = children as CompiledConstraint[];
  const name = displayIri(operator);
  const uid = idOf(node);
  const shownUid = uid !== undefined && !uid.startsWith('_:') ? uid : undefined;
  return {
    path,
    evaluate(ctx) {
      const reports = compiled.map((child) => child.evaluate(ctx));
      const result = combine(operator, reports.map((report) => report.state));
      const report: ConstraintReport = { path, operator: name, state: stateOf(result), constraints: reports };
      if (shownUid !== undefined) report.uid = shownUid;
      return report;
    },
  };
}

interface Atom {
  operand: OperandSpec;
  operandIri: string;
  operator: string;
  required: Value[];
  reference?: string;
  kind: ValueKind;
}

function checkFit(state: CompileState, path: string, atom: Atom): boolean {
  const { operator, required, kind } = atom;
  const name = displayIri(operator);
  if (SINGLE_OPERAND_OPERATORS.has(operator) && required.length !== 1 && atom.reference === undefined) {
    problem(state, 'SOV_POLICY_MALFORMED', childPath(path, odrl('rightOperand')), `${name} takes exactly one right operand, got ${required.length}`);
    return false;
  }
  // An event IRI is compared as its period (lt before, eq during, gt after: ODRL Vocabulary "event").
  const orderable = atom.operandIri === odrl('event') || ['instant', 'duration', 'number', 'ordinal'].includes(kind);
  if (ORDERING_OPERATORS.has(operator) && !orderable) {
    problem(state, 'SOV_POLICY_DATATYPE_INVALID', childPath(path, odrl('operator')), `${name} cannot order ${kind} values`);
    return false;
  }
  if (operator === odrl('isA') && kind !== 'iri') {
    problem(state, 'SOV_POLICY_DATATYPE_INVALID', childPath(path, odrl('operator')), `isA needs IRI operands, got ${kind}`);
    return false;
  }
  return true;
}

function parseRequired(state: CompileState, node: Node, path: string, expected: ValueKind | 'any', vocabulary: PolicyVocabulary): Value[] | undefined {
  const items = valuesOf(node, odrl('rightOperand'));
  const datatype = datatypeOf(valuesOf(node, odrl('datatype'))[0] ?? valuesOf(node, odrl('dataType'))[0]);
  const values: Value[] = [];
  for (const [index, item] of items.entries()) {
    const parsed = parseRightOperand(item, expected, datatype, vocabulary);
    if (!parsed.ok) {
      problem(state, 'SOV_POLICY_DATATYPE_INVALID', childPath(path, odrl('rightOperand'), index), parsed.reason);
      return undefined;
    }
    values.push(parsed.value);
  }
  return values;
}

function single(state: CompileState, node: Node, path: string, property: string): string | undefined {
  const ids = idsOf(node, property);
  if (ids.length !== 1) {
    problem(state, 'SOV_POLICY_MALFORMED', childPath(path, property), `a constraint needs exactly one ${displayIri(property)}`);
    return undefined;
  }
  return canonicalIri(ids[0] as string);
}

function compileAtom(state: CompileState, node: Node, path: string, vocabulary: PolicyVocabulary): Atom | undefined {
  const operandIri = single(state, node, path, odrl('leftOperand'));
  const operator = single(state, node, path, odrl('operator'));
  if (operandIri === undefined || operator === undefined) return undefined;
  const operand = OPERANDS.get(operandIri);
  if (operand === undefined) {
    problem(state, 'SOV_POLICY_UNKNOWN_OPERAND', childPath(path, odrl('leftOperand')), `left operand ${displayIri(operandIri)} is not understood`);
    return undefined;
  }
  if (!OPERATORS.has(operator)) {
    problem(state, 'SOV_POLICY_UNKNOWN_OPERATOR', childPath(path, odrl('operator')), `operator ${displayIri(operator)} is not understood`);
    return undefined;
  }
  const reference = valuesOf(node, odrl('rightOperandReference'))[0];
  const referenceIri = isNode(reference) ? (idOf(reference) ?? (typeof reference['@value'] === 'string' ? reference['@value'] : undefined)) : undefined;
  const required = parseRequired(state, node, path, operand.kind, vocabulary);
  if (required === undefined) return undefined;
  if (required.length === 0 && referenceIri === undefined) {
    problem(state, 'SOV_POLICY_MALFORMED', path, 'a constraint needs a rightOperand or a rightOperandReference');
    return undefined;
  }
  const kind: ValueKind = operand.kind !== 'any' ? operand.kind : (required[0]?.t ?? 'string');
  const atom: Atom = { operand, operandIri, operator, required, kind };
  if (referenceIri !== undefined) atom.reference = referenceIri;
  return checkFit(state, path, atom) ? atom : undefined;
}

/** Right operand in force: the compiled one, a referenced value, or an event's period. */
function requiredValues(ctx: EvalContext, atom: Atom): Value[] | undefined {
  if (atom.reference !== undefined) {
    const raw = ctx.world.references?.[atom.reference];
    if (raw === undefined) return undefined;
    const converted = (Array.isArray(raw) ? raw : [raw]).map((item) => convert(item, atom.kind, ctx.vocabulary));
    return converted.every((value) => value !== undefined) ? (converted as Value[]) : undefined;
  }
  if (atom.operandIri !== EVENT) return atom.required;
  const periods = atom.required.map((value) => (value.t === 'iri' ? ctx.world.events?.[value.s] : undefined));
  const instants: Value[] = [];
  for (const [index, period] of periods.entries()) {
    const start = instantOf(period?.start);
    if (start === undefined || period === undefined) return undefined;
    const end = period.end === undefined ? start + 1 : instantOf(period.end);
    if (end === undefined) return undefined;
    instants.push({ t: 'instant', ms: start, end, lexical: (atom.required[index] as Extract<Value, { t: 'iri' }>).s });
  }
  return instants;
}

function renderList(values: readonly Value[]): Rendered {
  return values.length === 1 ? renderValue(values[0] as Value) : values.map(renderValue);
}

function compileAtomic(state: CompileState, node: Node, path: string, vocabulary: PolicyVocabulary): CompiledConstraint | undefined {
  rejectUnknownOdrl(state, node, path, CONSTRAINT_PROPERTIES);
  const atom = compileAtom(state, node, path, vocabulary);
  if (atom === undefined) return undefined;
  const uid = idOf(node);
  const unit = idsOf(node, odrl('unit'))[0];
  const leftOperand = displayIri(atom.operandIri);
  const operator = displayIri(atom.operator);
  const requiredShown = atom.reference !== undefined ? atom.reference : renderList(atom.required);
  const shownUid = uid !== undefined && !uid.startsWith('_:') ? uid : undefined;
  const shownUnit = unit === undefined ? undefined : displayIri(unit);
  const report = (found: Rendered | null, state: SatisfactionState): ConstraintReport => {
    const result: ConstraintReport = { path, leftOperand, operator, required: requiredShown, found, state };
    if (shownUid !== undefined) result.uid = shownUid;
    if (shownUnit !== undefined) result.unit = shownUnit;
    return result;
  };
  const { operand, operandIri, kind } = atom;
  const test = operatorFor(atom.operator, operand.quantifier);
  return {
    path,
    evaluate(ctx) {
      const read = readOperand(ctx, operandIri, operand, kind);
      const required = requiredValues(ctx, atom);
      if (read === undefined) return report(null, 'unknown');
      const shown = read.shown ?? (read.shown = renderList(read.values));
      if (required === undefined) return report(shown, 'unknown');
      return report(shown, stateOf(test(ctx, read.values, required)));
    },
  };
}

/** Compiles one constraint (inline or by reference); undefined after recording a problem. */
export function compileConstraint(state: CompileState, value: unknown, path: string, vocabulary: PolicyVocabulary): CompiledConstraint | undefined {
  const resolved = dereference(state, value, path);
  if (resolved === undefined || Object.keys(resolved.node).every((key) => key.startsWith('@'))) {
    problem(state, 'SOV_POLICY_MALFORMED', path, 'constraint is empty or refers to a constraint not in the document');
    return undefined;
  }
  const logical = LOGICAL.filter((operator) => resolved.node[operator] !== undefined);
  if (logical.length > 1) {
    problem(state, 'SOV_POLICY_MALFORMED', resolved.path, 'a logical constraint has exactly one of and, or, xone, andSequence');
    return undefined;
  }
  if (logical.length === 1) return compileLogical(state, resolved.node, resolved.path, logical[0] as string, vocabulary);
  return compileAtomic(state, resolved.node, resolved.path, vocabulary);
}

export function compileConstraints(state: CompileState, node: Node, path: string, property: string, vocabulary: PolicyVocabulary): CompiledConstraint[] {
  const compiled = valuesOf(node, property).map((item, index) => compileConstraint(state, item, childPath(path, property, index), vocabulary));
  return compiled.filter((item): item is CompiledConstraint => item !== undefined);
}

/** Several constraints on one rule mean `and` (IM §2.5). */
export function allSatisfied(reports: readonly ConstraintReport[]): Tri {
  let unknown = false;
  for (const report of reports) {
    if (report.state === 'unsatisfied') return false;
    if (report.state === 'unknown') unknown = true;
  }
  return unknown ? undefined : true;
}

/** A refinement of a duty's action read as a parameter (`sov:kAnonymity eq 10`), checked like any constraint. */
export function compileParameter(
  state: CompileState,
  value: unknown,
  path: string,
  vocabulary: PolicyVocabulary,
): { name: string; operator: string; value: Rendered } | undefined {
  const resolved = dereference(state, value, path);
  if (resolved === undefined) return undefined;
  const atom = compileAtom(state, resolved.node, resolved.path, vocabulary);
  if (atom === undefined) return undefined;
  return { name: displayIri(atom.operandIri), operator: displayIri(atom.operator), value: atom.reference ?? renderList(atom.required) };
}
