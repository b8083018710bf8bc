/**
 * The decision report (odrl.md "Evaluation input and output", after the formal semantics'
 * compliance report): the outcome, every rule with its state and premises, every constraint
 * with the value found against the value required, the duties to fulfil with their
 * parameters, machine-readable reasons and a human explanation. It is plain JSON with a
 * canonical form (keys sorted) and a sha-256 digest, so it can be stored, signed and shown later.
 */
import { createHash } from 'node:crypto';
import type { ErrorCode } from '../errors/index.js';

export type Rendered = string | number | boolean | Rendered[];
export type SatisfactionState = 'satisfied' | 'unsatisfied' | 'unknown';

export interface ConstraintReport {
  path: string;
  uid?: string;
  /** Display form of the left operand (`count`, `sov:recipientJurisdiction`); absent for logical constraints. */
  leftOperand?: string;
  /** Operator (`lteq`) or logical operand (`and`, `or`, `xone`, `andSequence`). */
  operator: string;
  required?: Rendered;
  /** The value measured; null when the world had none. */
  found?: Rendered | null;
  unit?: string;
  state: SatisfactionState;
  constraints?: ConstraintReport[];
}

export interface DutyParameter {
  /** `sov:kAnonymity`, `sov:lDiversity`, ... */
  name: string;
  operator: string;
  value: Rendered;
}

export type DutyTiming = 'pre-condition' | 'obligation' | 'remedy' | 'consequence';

export interface DutyReport {
  id: string;
  path: string;
  /** Display form of the duty's action (`anonymize`). */
  action: string;
  timing: DutyTiming;
  /** `inactive`: its own constraints do not hold, so it does not bind (formal semantics C21). */
  state: 'fulfilled' | 'pending' | 'inactive';
  /** Refinements of the duty's action: how it must be done (e.g. k and l for `anonymize`). */
  parameters: DutyParameter[];
  constraints: ConstraintReport[];
  consequences: DutyReport[];
}

export type RuleState = 'active' | 'inactive' | 'not-applicable';

export interface RuleReport {
  id: string;
  path: string;
  kind: 'permission' | 'prohibition';
  action: string;
  target: string | null;
  assignee: string | null;
  /** not-applicable: the action, target or party does not match the request. */
  state: RuleState;
  premises: { action: SatisfactionState; target: SatisfactionState; party: SatisfactionState };
  /** The rule's constraints, then the refinements of its action, target and party (by path). */
  constraints: ConstraintReport[];
  duties: DutyReport[];
}

export interface Reason {
  code: ErrorCode;
  ruleId?: string;
  path?: string;
  leftOperand?: string;
  operator?: string;
  message: string;
}

export type Outcome = 'permitted' | 'prohibited' | 'not-applicable';

export interface JurisdictionCheck {
  check: 'classification' | 'export' | 'residency' | 'metadata-residency' | 'data-protection';
  state: SatisfactionState;
  found: Rendered | null;
  required: Rendered;
  code?: ErrorCode;
}

export interface JurisdictionReport {
  provider: string;
  recipient: string | null;
  outcome: 'permitted' | 'prohibited';
  classification: { label: string | null; level: number | null; scheme: string };
  checks: JurisdictionCheck[];
  legalBasis: string;
  disclaimer: string;
}

export interface DecisionReport {
  reportVersion: 1;
  outcome: Outcome;
  decision: 'permit' | 'deny';
  /** True when only unfulfilled pre-condition duties stand between the request and a permit. */
  permittedOnceDutiesFulfilled: boolean;
  policy: { uid: string; type: string; digest: string; conflict: 'perm' | 'prohibit' | 'invalid'; conflictSource: 'policy' | 'default' };
  request: { action: string; target: string; assignee: string; purpose: string | null; evaluatedAt: string | null };
  reasons: Reason[];
  rules: RuleReport[];
  duties: DutyReport[];
  problems: Array<{ code: ErrorCode; path: string; message: string }>;
  jurisdiction?: JurisdictionReport;
  explanation: string;
}

/** JSON with object keys sorted at every level (RFC 8785-style for our value space). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The canonical serialisation of a report: what is stored and signed. */
export function canonicalReport(report: DecisionReport): string {
  return canonicalJson(report);
}

/** `sha-256:<hex>` over the canonical report. */
export function reportDigest(report: DecisionReport): string {
  return `sha-256:${sha256Hex(canonicalReport(report))}`;
}
