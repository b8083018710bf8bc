/**
 * Reads the privacy model an agreement's `anonymize` duties ask for (ODRL 2.2 §2.6 duty with
 * refinements on its action: `sov:kAnonymity gteq k`, `sov:lDiversity gteq l`,
 * `sov:maxSuppression lteq percent`, as the `research-anonymised` template writes them) and
 * merges it with the offering's declared model. The duty may only make the model STRICTER:
 * k and l are the larger of the two, the suppression limit the smaller. Anything the
 * transform cannot honour (another pending duty, an unknown parameter or operator) fails
 * closed: data never leaves under a duty it could not perform.
 */
import { fail, ok, type Result } from '../errors/index.js';
import { parseDeclaration, type AnonymisationDeclaration } from '../anonymise/index.js';
import type { DutyReport } from '../policy/index.js';

/** What the duties demand; absent fields demand nothing beyond the declaration. */
export interface RequestedModel {
  k?: number;
  l?: number;
  /** A share in [0, 1] (the duty states a percentage). */
  maxSuppression?: number;
}

const ANONYMIZE = new Set(['anonymize', 'odrl:anonymize', 'http://www.w3.org/ns/odrl/2/anonymize']);
const SOV = 'https://w3id.org/sovereign-connector/vocab#';

function localName(name: string): string {
  if (name.startsWith(SOV)) return name.slice(SOV.length);
  return name.startsWith('sov:') ? name.slice(4) : name;
}

function numberOf(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
}

type Parameter = DutyReport['parameters'][number];

function unsupported(duty: DutyReport, parameter: Parameter, why: string) {
  return fail('SOV_ANON_DUTY_UNSUPPORTED', `duty ${duty.action} (${parameter.name} ${parameter.operator} ${String(parameter.value)}): ${why}`, {
    duty: duty.id,
    parameter: parameter.name,
    operator: parameter.operator,
  });
}

/** Applies one refinement to the model asked for so far (the strictest value wins). */
function applyParameter(duty: DutyReport, parameter: Parameter, model: RequestedModel): Result<RequestedModel> {
  const value = numberOf(parameter.value);
  if (value === undefined || value < 0) return unsupported(duty, parameter, 'the value is not a non-negative number');
  const name = localName(parameter.name);
  if (name === 'kAnonymity' || name === 'lDiversity') {
    // Over integers, `gt n` is `gteq n + 1`; no other operator states a minimum.
    if (parameter.operator !== 'gteq' && parameter.operator !== 'gt') return unsupported(duty, parameter, 'only gteq or gt state a minimum');
    const minimum = Math.ceil(parameter.operator === 'gt' ? Math.floor(value) + 1 : value);
    const key = name === 'kAnonymity' ? 'k' : 'l';
    return ok({ ...model, [key]: Math.max(model[key] ?? 0, minimum) });
  }
  if (name === 'maxSuppression') {
    if (parameter.operator !== 'lteq') return unsupported(duty, parameter, 'only lteq states a suppression limit');
    if (value > 100) return unsupported(duty, parameter, 'a percentage is at most 100');
    return ok({ ...model, maxSuppression: Math.min(model.maxSuppression ?? 1, value / 100) });
  }
  return unsupported(duty, parameter, 'this connector does not know how to honour that refinement');
}

/** The model the pending duties ask for; fails closed on any duty other than `anonymize`. */
export function requestedModel(duties: readonly DutyReport[]): Result<RequestedModel> {
  let model: RequestedModel = {};
  for (const duty of duties) {
    if (!ANONYMIZE.has(duty.action)) {
      return fail('SOV_ANON_DUTY_UNSUPPORTED', `duty ${duty.action} must be performed before release and only anonymize can be`, { duty: duty.id, action: duty.action });
    }
    for (const parameter of duty.parameters) {
      const next = applyParameter(duty, parameter, model);
      if (!next.ok) return next;
      model = next.value;
    }
  }
  return ok(model);
}

/**
 * The declaration with the stricter of the two models. Re-validated as a whole, so a duty
 * asking for l-diversity of a dataset without a sensitive column fails with that reason.
 */
export function strictestDeclaration(declaration: AnonymisationDeclaration, requested: RequestedModel): Result<AnonymisationDeclaration> {
  const declared = declaration.model;
  const l = Math.max(declared.l ?? 0, requested.l ?? 0);
  const model = {
    k: Math.max(declared.k, requested.k ?? 0),
    // Distinct 1-diversity holds for any non-empty class: only l ≥ 2 is a requirement.
    ...(l >= 2 ? { l } : {}),
    maxSuppression: Math.min(declared.maxSuppression, requested.maxSuppression ?? 1),
  };
  return parseDeclaration({ ...declaration, model });
}
