/**
 * Our profile's rule for duty PARAMETERS written as duty constraints (docs/policy.md "Duty
 * parameters"). ODRL IM §2.6 gives a Duty its own `constraint`s, which there are conditions on
 * whether the duty binds; refinements of the duty's action (§2.5.2) say how it must be done.
 * DSP 2025-1 types an ODRL `action` as a plain string (its ODRL profile has no refinements),
 * so a k-anonymity requirement cannot cross the protocol as a refinement of `anonymize`. The
 * `sov` profile therefore reads a constraint of an `anonymize` duty whose left operand is one
 * of our duty-parameter terms (`sov:kAnonymity`, `sov:lDiversity`, `sov:maxSuppression`) as a
 * parameter of the duty, exactly like the same refinement: nothing in the world measures "the
 * k-anonymity of the request", so as a condition it could only ever be unknown, while as a
 * parameter it is what the data plane must achieve. Any other duty constraint keeps its IM
 * meaning. Refinements keep working for policies that are not sent over DSP.
 */
import { canonicalIri, odrl, sov } from './iri.js';
import { dereference, idsOf, type CompileState } from './expanded.js';

/** The `sov:` left operands that parameterise a duty rather than condition it. */
export const DUTY_PARAMETER_OPERANDS: ReadonlySet<string> = new Set(['kAnonymity', 'lDiversity', 'maxSuppression', 'epsilon', 'epsilonBudget'].map(sov));

/**
 * Duty actions whose constraints on those operands are parameters: the anonymisation duty, and
 * the statistics-only duty `aggregate` (ODRL 2.2 vocabulary, includedIn `use`) whose
 * `sov:epsilon` is the ε one transfer spends and `sov:epsilonBudget` the agreement's total.
 */
const PARAMETERISED_ACTIONS: ReadonlySet<string> = new Set([odrl('anonymize'), odrl('aggregate')]);

/** Whether the constraint `value` of a duty with action `actionIri` is one of its parameters. */
export function isDutyParameter(state: CompileState, actionIri: string, value: unknown, path: string): boolean {
  if (!PARAMETERISED_ACTIONS.has(actionIri)) return false;
  const node = dereference(state, value, path)?.node;
  if (node === undefined) return false;
  const operands = idsOf(node, odrl('leftOperand')).map(canonicalIri);
  return operands.length === 1 && DUTY_PARAMETER_OPERANDS.has(operands[0] as string);
}
