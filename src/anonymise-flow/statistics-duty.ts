/**
 * Reads the ε terms of an agreement's `aggregate` duty (ODRL 2.2 action `aggregate`, included
 * in `use`): `sov:epsilon` is the ε one transfer spends, `sov:epsilonBudget` the total the
 * agreement may ever spend (sequential composition, Dwork & Roth §3.5). Both are duty
 * parameters written as duty constraints (src/policy/duty-parameters.ts). An aggregate duty
 * without both, with another operator, or next to any other pending duty fails closed.
 */
import { fail, ok, type Result } from '../errors/index.js';
import type { DutyReport } from '../policy/index.js';

export interface StatisticsTerms {
  /** ε spent by one transfer. */
  epsilon: number;
  /** Total ε of the agreement. */
  epsilonBudget: number;
}

const AGGREGATE = new Set(['aggregate', 'odrl:aggregate', 'http://www.w3.org/ns/odrl/2/aggregate']);
const SOV = 'https://w3id.org/sovereign-connector/vocab#';
const localName = (name: string): string => (name.startsWith(SOV) ? name.slice(SOV.length) : name.startsWith('sov:') ? name.slice(4) : name);

/** Whether any pending duty is a statistics-only (`aggregate`) duty. */
export function asksForStatistics(duties: readonly DutyReport[]): boolean {
  return duties.some((duty) => AGGREGATE.has(duty.action));
}

function unsupported(duty: DutyReport, why: string) {
  return fail('SOV_ANON_DUTY_UNSUPPORTED', `duty ${duty.action}: ${why}`, { duty: duty.id, action: duty.action });
}

/** The smallest ε and budget the aggregate duties state (`eq` or `lteq`: an upper limit). */
export function statisticsTerms(duties: readonly DutyReport[]): Result<StatisticsTerms> {
  const found: Partial<StatisticsTerms> = {};
  for (const duty of duties) {
    if (!AGGREGATE.has(duty.action)) return unsupported(duty, 'a statistics-only release cannot perform any other duty before it');
    for (const parameter of duty.parameters) {
      const name = localName(parameter.name);
      const value = typeof parameter.value === 'number' ? parameter.value : Number(parameter.value);
      if (name !== 'epsilon' && name !== 'epsilonBudget') return unsupported(duty, `this connector does not know the parameter ${parameter.name}`);
      if (parameter.operator !== 'lteq' && parameter.operator !== 'eq') return unsupported(duty, `${parameter.name} must be stated with lteq or eq`);
      if (!Number.isFinite(value) || value <= 0) return unsupported(duty, `${parameter.name} must be a positive number`);
      found[name] = Math.min(found[name] ?? Number.POSITIVE_INFINITY, value);
    }
  }
  const { epsilon, epsilonBudget } = found;
  if (epsilon === undefined || epsilonBudget === undefined) {
    return fail('SOV_ANON_DUTY_UNSUPPORTED', 'an aggregate duty must state sov:epsilon and sov:epsilonBudget', { missing: epsilon === undefined ? 'sov:epsilon' : 'sov:epsilonBudget' });
  }
  return ok({ epsilon, epsilonBudget });
}
