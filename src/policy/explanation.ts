/**
 * The human-readable explanation of a decision report: one sentence for the outcome, then the
 * reasons, then the duties the consumer must fulfil with their parameters. Built only from
 * the report, so a stored report can always be re-explained identically.
 */
import type { DecisionReport, DutyReport } from './report.js';

const OUTCOME_TEXT = {
  permitted: 'Permitted',
  prohibited: 'Prohibited',
  'not-applicable': 'Not permitted (no applicable permission)',
} as const;

// Duty parameters are the compiled policy's own arrays, shared by every report: describe each once.
const parameterText = new WeakMap<DutyReport['parameters'], string>();

function describeParameters(parameters: DutyReport['parameters']): string {
  let text = parameterText.get(parameters);
  if (text === undefined) {
    const items = parameters.map((parameter) => `${parameter.name} ${parameter.operator} ${JSON.stringify(parameter.value)}`);
    text = items.length > 0 ? ` (${items.join(', ')})` : '';
    parameterText.set(parameters, text);
  }
  return text;
}

function describeDuty(duty: DutyReport): string {
  return `${duty.timing} ${duty.action}${describeParameters(duty.parameters)}: ${duty.state}`;
}

export function explain(report: DecisionReport): string {
  const lines = [
    `${OUTCOME_TEXT[report.outcome]}: ${report.request.action} on ${report.request.target} by ${report.request.assignee} under policy ${report.policy.uid}.`,
  ];
  const active = report.rules.filter((rule) => rule.state === 'active');
  if (report.outcome === 'permitted') lines.push(`Granted by ${active.filter((rule) => rule.kind === 'permission').map((rule) => rule.id).join(', ')}.`);
  for (const reason of report.reasons) lines.push(`- ${reason.message} [${reason.code}${reason.ruleId === undefined ? '' : ` in ${reason.ruleId}`}]`);
  const duties = report.duties.filter((duty) => duty.state !== 'inactive');
  if (duties.length > 0) lines.push(`Duties: ${duties.map(describeDuty).join('; ')}.`);
  if (report.jurisdiction !== undefined) {
    lines.push(`Jurisdiction ${report.jurisdiction.provider}: ${report.jurisdiction.outcome}. ${report.jurisdiction.legalBasis}`);
  }
  return lines.join('\n');
}
