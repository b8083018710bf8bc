/**
 * The policy engine's decision report made readable (odrl.md "Evaluation input and output"):
 * the outcome and its explanation, each reason with the rule and constraint it names, every
 * constraint with the value required against the value found, and the jurisdiction checks.
 * A consumer sees a refusal as the provider's termination reasons; a provider sees its own
 * full report. Both are shown; nothing is hidden behind raw JSON (which stays one click away).
 */
import { badge, code, h, table, when } from './dom.js';
import { valueText } from './odrl.js';

const stateTone = { satisfied: 'good', unsatisfied: 'bad', unknown: 'warn' };

function rendered(value) {
  if (value === null || value === undefined) return '—';
  return Array.isArray(value) ? value.map(rendered).join(', ') : String(value);
}

/** One reason as a list item: its words, then where it comes from. */
function reasonItem(reason) {
  if (typeof reason !== 'object' || reason === null) return h('li', null, valueText(reason));
  const where = [reason.rule ?? reason.ruleId, reason.constraint ?? reason.path, reason.leftOperand].filter(Boolean);
  return h('li', null, h('strong', null, reason.message ?? valueText(reason)), reason.code ? [' ', code(reason.code)] : null, where.length > 0 ? h('span', { class: 'muted' }, ` — at ${[...new Set(where)].join(', ')}`) : null);
}

export function reasonList(reasons) {
  return h('ul', { class: 'reasons' }, reasons.map(reasonItem));
}

function constraintRows(report) {
  const rows = [];
  const walk = (constraints) => {
    for (const c of constraints ?? []) {
      rows.push([code(c.path), c.leftOperand ?? c.operator, c.leftOperand ? c.operator : '', rendered(c.required), rendered(c.found), badge(c.state, stateTone[c.state])]);
      walk(c.constraints);
    }
  };
  for (const rule of report.rules ?? []) walk(rule.constraints);
  return rows;
}

/** The provider's own decision record: outcome, explanation, reasons, constraints, jurisdiction. */
export function decisionReport(decision) {
  const report = decision.report ?? {};
  const jurisdiction = report.jurisdiction;
  return h(
    'div',
    { class: `decision${decision.permitted ? ' permitted' : ''}`, id: 'decision-report' },
    h('h3', null, `Policy decision at ${decision.stage}: `, decision.permitted ? badge('permitted', 'good') : badge('refused', 'bad')),
    report.explanation ? h('p', { class: 'problem-detail' }, report.explanation) : null,
    decision.reasons.length > 0 ? [h('h4', null, 'Reasons'), reasonList(decision.reasons)] : null,
    table({ caption: 'Constraints evaluated', columns: ['Where', 'Operand', 'Operator', 'Required', 'Found', 'State'], rows: constraintRows(report), empty: 'The rules carry no constraint.' }),
    jurisdiction
      ? table({
          caption: `Jurisdiction checks (${jurisdiction.provider} → ${jurisdiction.recipient ?? 'unknown'}): ${jurisdiction.outcome}`,
          columns: ['Check', 'State', 'Found', 'Required'],
          rows: jurisdiction.checks.map((c) => [c.check, badge(c.state, stateTone[c.state]), rendered(c.found), rendered(c.required)]),
        })
      : null,
    jurisdiction?.disclaimer ? h('p', { class: 'hint' }, jurisdiction.disclaimer) : null,
    h('p', { class: 'hint' }, 'Decided ', when(decision.decidedAt), ' · report digest ', code(decision.reportDigest)),
    h('details', null, h('summary', null, 'The full report as JSON'), h('pre', null, JSON.stringify(report, null, 2))),
  );
}

const REFUSALS = new Set(['SOV_NEG_POLICY_REFUSED']);

/**
 * A termination or suspension (`verb`): who did it, with which code and reasons. A policy
 * refusal by the counterparty says so.
 */
export function terminationView(event, ourRole, verb = 'Terminated') {
  const byUs = event.by === ourRole;
  const heading = byUs ? `${verb} by this connector` : REFUSALS.has(event.code) ? `Refused by the ${event.by}` : `${verb} by the ${event.by}`;
  return h(
    'div',
    { class: 'decision', id: verb === 'Terminated' ? 'termination' : 'suspension' },
    h('h3', null, heading),
    event.code ? h('p', null, 'Code: ', code(event.code)) : null,
    (event.reason ?? []).length > 0 ? [h('h4', null, 'Reasons given'), reasonList(event.reason)] : h('p', { class: 'muted' }, 'No reason was given.'),
    h('p', { class: 'hint' }, 'At ', when(event.at)),
  );
}
