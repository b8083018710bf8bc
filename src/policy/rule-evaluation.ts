/**
 * Evaluating one atomic rule or duty against a prepared context (formal semantics: premises
 * target, party, action and each constraint get a satisfaction state; a rule is active when all
 * hold). Unknown resolves towards the stricter outcome: it fails a permission but keeps a
 * prohibition in force, and a duty whose constraints are unknown still binds.
 */
import { allSatisfied, stateOf, type CompiledConstraint } from './constraints.js';
import { displayIri, memoised, odrl } from './iri.js';
import type { EvalContext } from './operands.js';
import { within, type Tri } from './operators.js';
import type { ConstraintReport, DutyReport, RuleReport } from './report.js';
import type { CompiledDuty, CompiledEntity, CompiledRule } from './rules.js';

export interface RuleOutcome {
  rule: CompiledRule;
  report: RuleReport;
  /** The rule applies to this request (active). */
  active: boolean;
  /** Action, target and party all match (refinements aside): the rule was "about" this request. */
  relevant: boolean;
  pendingDuties: DutyReport[];
}

/** A premise: whether the IRI (or collection membership) matches, and that match narrowed by refinements. */
interface Premise {
  matched: boolean;
  value: Tri;
}

function refined(ctx: EvalContext, matched: boolean, refinements: readonly CompiledConstraint[], sink: ConstraintReport[]): Premise {
  const reports = refinements.map((refinement) => refinement.evaluate(ctx));
  sink.push(...reports);
  return { matched, value: matched ? allSatisfied(reports) : false };
}

const ANYONE: Premise = { matched: true, value: true };

function entityMatches(ctx: EvalContext, entity: CompiledEntity, id: string): boolean {
  return entity.ids.some((candidate) => within(ctx, id, candidate));
}

// The names a consumer may use to say a duty is done, per compiled duty: they never change.
const fulfilmentNames = new WeakMap<CompiledDuty, readonly string[]>();

function isFulfilled(ctx: EvalContext, duty: CompiledDuty): boolean {
  let names = fulfilmentNames.get(duty);
  if (names === undefined) {
    const short = displayIri(duty.action);
    names = [duty.id, duty.action, short, `odrl:${short}`];
    fulfilmentNames.set(duty, names);
  }
  return names.some((name) => ctx.fulfilled.has(name));
}

export function evaluateDuty(ctx: EvalContext, duty: CompiledDuty): DutyReport {
  const constraints = duty.constraints.map((constraint) => constraint.evaluate(ctx));
  const binding = allSatisfied(constraints) !== false;
  return {
    id: duty.id,
    path: duty.path,
    action: displayIri(duty.action),
    timing: duty.timing,
    state: !binding ? 'inactive' : isFulfilled(ctx, duty) ? 'fulfilled' : 'pending',
    parameters: duty.parameters,
    constraints,
    consequences: duty.consequences.map((consequence) => evaluateDuty(ctx, consequence)),
  };
}

/** A permission applies only when everything is known to hold; a prohibition unless something is known not to. */
function applies(kind: CompiledRule['kind'], value: Tri): boolean {
  return kind === 'permission' ? value === true : value !== false;
}

export function evaluateRule(ctx: EvalContext, rule: CompiledRule, requestedAction: string, requestedTarget: string): RuleOutcome {
  const refinements: ConstraintReport[] = [];
  const actions = ctx.vocabulary.actions;
  const action = refined(ctx, actions.covers(rule.action.iri, requestedAction), rule.action.refinements, refinements);
  const target = rule.target === undefined ? ANYONE : refined(ctx, entityMatches(ctx, rule.target, requestedTarget), rule.target.refinements, refinements);
  const party = rule.assignee === undefined ? ANYONE : refined(ctx, entityMatches(ctx, rule.assignee, ctx.request.assignee.id), rule.assignee.refinements, refinements);
  const constraints = rule.constraints.map((constraint) => constraint.evaluate(ctx));
  // Relevant: the rule names this action, asset and party; refinements and constraints then decide.
  const relevant = action.matched && target.matched && party.matched;
  const narrowed = [action.value, target.value, party.value, allSatisfied(constraints)];
  const active = relevant && narrowed.every((value) => applies(rule.kind, value));
  const duties = rule.duties.map((duty) => evaluateDuty(ctx, duty));
  const premises: RuleReport['premises'] = { action: stateOf(action.value), target: stateOf(target.value), party: stateOf(party.value) };
  const state: RuleReport['state'] = !relevant ? 'not-applicable' : active ? 'active' : 'inactive';
  const report: RuleReport = {
    id: rule.id,
    path: rule.path,
    kind: rule.kind,
    action: displayIri(rule.action.iri),
    target: rule.target?.display ?? null,
    assignee: rule.assignee?.display ?? null,
    state,
    premises,
    constraints: [...constraints, ...refinements],
    duties,
  };
  return { rule, report, active, relevant, pendingDuties: rule.kind === 'permission' ? duties.filter((duty) => duty.state === 'pending') : [] };
}

/** Leaf constraints that did not hold, for the machine-readable reasons. */
export function failingLeaves(reports: readonly ConstraintReport[]): ConstraintReport[] {
  return reports.flatMap((report) => {
    if (report.state === 'satisfied') return [];
    const leaves = report.constraints === undefined ? [] : failingLeaves(report.constraints);
    // A logical constraint can fail with every operand satisfied (xone with two true): report it.
    return leaves.length > 0 ? leaves : [report];
  });
}

/** `read`, `odrl:read` or a full IRI → the action IRI. */
export const actionIri = memoised((action: string): string => {
  if (action.startsWith('odrl:')) return odrl(action.slice(5));
  return action.includes(':') ? action : odrl(action);
});
