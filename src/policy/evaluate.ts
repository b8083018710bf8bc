/**
 * The decision (odrl.md "Evaluation input and output", "Conflicts"): a pure function of the
 * compiled policy, the request and the state of the world; no JSON-LD work happens here.
 * - a policy with problems is refused (fail closed);
 * - an active permission and an active prohibition on the same request conflict: `perm` lets
 *   the permission win, `prohibit` the prohibition, `invalid` (the IM default, and ours when
 *   the policy is silent) voids the policy, which denies;
 * - otherwise an active prohibition prohibits, an active permission whose pre-condition duties
 *   are fulfilled permits, and anything else is not-applicable (deny).
 */
import type { ErrorCode } from '../errors/index.js';
import type { CompiledPolicy } from './compile.js';
import { displayIri } from './iri.js';
import { explain } from './explanation.js';
import { isoString, prepareContext, type EvalContext } from './operands.js';
import type { DecisionReport, DutyReport, Outcome, Reason } from './report.js';
import { actionIri, evaluateDuty, evaluateRule, failingLeaves, type RuleOutcome } from './rule-evaluation.js';
import type { PolicyRequest, PolicyWorld } from './types.js';

interface Decision {
  outcome: Outcome;
  reasons: Reason[];
  duties: DutyReport[];
  dutiesOnly: boolean;
}

function constraintReasons(outcomes: readonly RuleOutcome[]): Reason[] {
  return outcomes.flatMap(({ report }) =>
    failingLeaves(report.constraints).map((leaf): Reason => {
      const missing = leaf.state === 'unknown';
      const code: ErrorCode = missing ? 'SOV_POLICY_OPERAND_MISSING' : 'SOV_POLICY_CONSTRAINT_UNSATISFIED';
      const found = leaf.found === null || leaf.found === undefined ? 'no value' : JSON.stringify(leaf.found);
      const reason: Reason = { code, ruleId: report.id, path: leaf.path, operator: leaf.operator, message: `${leaf.leftOperand ?? ''} ${leaf.operator} ${JSON.stringify(leaf.required)} not satisfied: found ${found}` };
      if (leaf.leftOperand !== undefined) reason.leftOperand = leaf.leftOperand;
      return reason;
    }),
  );
}

function prohibitionReasons(prohibitions: readonly RuleOutcome[]): Reason[] {
  return prohibitions.map(({ report }) => ({ code: 'SOV_POLICY_PROHIBITED', ruleId: report.id, path: report.path, message: `prohibition ${report.id} forbids ${report.action}` }));
}

function permissionDecision(permissions: readonly RuleOutcome[], ctx: EvalContext, requested: string): Decision {
  const active = permissions.filter((outcome) => outcome.active);
  const usable = active.find((outcome) => outcome.pendingDuties.length === 0);
  if (usable !== undefined) return { outcome: 'permitted', reasons: [], duties: usable.report.duties, dutiesOnly: false };
  const waiting = active[0];
  if (waiting !== undefined) {
    const reasons = waiting.pendingDuties.map((duty): Reason => ({ code: 'SOV_POLICY_DUTY_UNFULFILLED', ruleId: waiting.report.id, path: duty.path, message: `duty ${duty.action} must be fulfilled before the permission can be exercised` }));
    return { outcome: 'not-applicable', reasons, duties: waiting.report.duties, dutiesOnly: true };
  }
  const relevant = permissions.filter((outcome) => outcome.relevant);
  const reasons = constraintReasons(relevant);
  if (reasons.length === 0) {
    const unmatched = permissions
      .filter((outcome) => outcome.report.premises.action !== 'unsatisfied')
      .map(({ report }) => `${report.id} is for ${report.premises.target === 'unsatisfied' ? `target ${report.target}` : `assignee ${report.assignee}`}`);
    const detail = unmatched.length > 0 ? ` (${unmatched.join('; ')})` : '';
    reasons.push({ code: 'SOV_POLICY_NO_PERMISSION', message: `no permission covers ${displayIri(requested)} on ${ctx.request.target} by ${ctx.request.assignee.id}${detail}` });
  }
  return { outcome: 'not-applicable', reasons, duties: [], dutiesOnly: false };
}

function decide(policy: CompiledPolicy, permissions: RuleOutcome[], prohibitions: RuleOutcome[], ctx: EvalContext, requested: string): Decision {
  const activeProhibitions = prohibitions.filter((outcome) => outcome.active);
  const fromPermissions = permissionDecision(permissions, ctx, requested);
  if (activeProhibitions.length === 0) return fromPermissions;
  const remedies = activeProhibitions.flatMap((outcome) => outcome.report.duties);
  const conflicting = permissions.some((outcome) => outcome.active);
  if (conflicting && policy.conflict === 'perm') return fromPermissions;
  if (conflicting && policy.conflict === 'invalid') {
    const reasons: Reason[] = [{ code: 'SOV_POLICY_CONFLICT', message: `a permission and prohibition ${activeProhibitions[0]?.report.id} both apply and the conflict strategy is invalid${policy.conflictSource === 'default' ? ' (ODRL default)' : ''}: the policy is void` }];
    return { outcome: 'prohibited', reasons: [...reasons, ...prohibitionReasons(activeProhibitions)], duties: remedies, dutiesOnly: false };
  }
  return { outcome: 'prohibited', reasons: prohibitionReasons(activeProhibitions), duties: remedies, dutiesOnly: false };
}

function refused(policy: CompiledPolicy): Decision {
  const errors = policy.problems.filter((item) => item.severity === 'error');
  const reasons: Reason[] = [
    { code: 'SOV_POLICY_NOT_EVALUABLE', message: `the policy has ${errors.length} problem(s) and cannot be evaluated` },
    ...errors.map((item): Reason => ({ code: item.code, path: item.path, message: item.message })),
  ];
  return { outcome: 'prohibited', reasons, duties: [], dutiesOnly: false };
}

/** Decides `request` against `policy` in `world`; returns the full, stable report. */
export function evaluate(policy: CompiledPolicy, request: PolicyRequest, world: PolicyWorld): DecisionReport {
  const ctx = prepareContext(request, world, policy.vocabulary);
  const requested = actionIri(request.action);
  const evaluable = policy.problems.every((item) => item.severity !== 'error');
  const permissions = evaluable ? policy.permissions.map((rule) => evaluateRule(ctx, rule, requested, request.target)) : [];
  const prohibitions = evaluable ? policy.prohibitions.map((rule) => evaluateRule(ctx, rule, requested, request.target)) : [];
  const decision = evaluable ? decide(policy, permissions, prohibitions, ctx, requested) : refused(policy);
  const obligations = evaluable ? policy.obligations.map((duty) => evaluateDuty(ctx, duty)) : [];
  const report: DecisionReport = {
    reportVersion: 1,
    outcome: decision.outcome,
    decision: decision.outcome === 'permitted' ? 'permit' : 'deny',
    permittedOnceDutiesFulfilled: decision.dutiesOnly,
    policy: { uid: policy.uid, type: policy.type, digest: policy.digest, conflict: policy.conflict, conflictSource: policy.conflictSource },
    request: {
      action: displayIri(requested),
      target: request.target,
      assignee: request.assignee.id,
      purpose: request.purpose ?? null,
      evaluatedAt: ctx.nowMs === undefined ? null : isoString(ctx.nowMs),
    },
    reasons: decision.reasons,
    rules: [...permissions, ...prohibitions].map((outcome) => outcome.report),
    duties: [...decision.duties, ...obligations],
    problems: policy.problems.map(({ code, path, message }) => ({ code, path, message })),
    explanation: '',
  };
  report.explanation = explain(report);
  return report;
}
