/**
 * What a search can filter an ODRL offer by (ODRL 2.2 IM §2.5–2.7): the purposes its
 * constraints allow, and the contract template it was made from. DSP offers do not carry the
 * template's name, so it is recognised by shape: the rule kinds, actions, assignee, the
 * constraints' left operands and operators, and the duties with their refinements, with every
 * right operand (the template's parameters) left out. The coalition shares `contracts/`, so a
 * partner's offer made from a template has the same shape as our copy of that template.
 */
import type { OdrlOffer } from '../../dsp/index.js';

type Json = Record<string, unknown>;

const RULE_KINDS = ['permission', 'prohibition', 'obligation'] as const;
const LOGICAL = ['and', 'or', 'xone', 'andSequence'] as const;

const list = (value: unknown): unknown[] => (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]);
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `odrl:purpose`, `https://…#purpose`, `sov:purpose/research` → `purpose`, `research`. */
export function localName(value: string): string {
  return value.split(/[/#:]/).filter((part) => part !== '').pop() ?? value;
}

function idOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isObject(value)) {
    for (const key of ['@id', 'uid', '@value']) if (typeof value[key] === 'string') return value[key];
  }
  return undefined;
}

function constraintsOf(rule: Json): Json[] {
  const flat: Json[] = [];
  const walk = (constraint: unknown): void => {
    if (!isObject(constraint)) return;
    const logical = LOGICAL.find((key) => constraint[key] !== undefined);
    if (logical === undefined) flat.push(constraint);
    else for (const inner of list(constraint[logical])) walk(inner);
  };
  for (const constraint of list(rule['constraint'])) walk(constraint);
  return flat;
}

function rulesOf(policy: Json): Array<{ kind: string; rule: Json }> {
  return RULE_KINDS.flatMap((kind) => list(policy[kind]).filter(isObject).map((rule) => ({ kind, rule })));
}

/** The purposes the offer's permissions are constrained to (local names); empty: any purpose. */
export function purposesOf(offer: OdrlOffer): string[] {
  const purposes = new Set<string>();
  for (const { kind, rule } of rulesOf(offer as Json)) {
    if (kind !== 'permission') continue;
    for (const constraint of constraintsOf(rule)) {
      const left = idOf(constraint['leftOperand']);
      if (left === undefined || localName(left) !== 'purpose') continue;
      for (const right of list(constraint['rightOperand'])) {
        const id = idOf(right);
        if (id !== undefined) purposes.add(localName(id));
      }
    }
  }
  return [...purposes].sort();
}

function actionShape(action: unknown): string {
  const name = idOf(isObject(action) && action['rdf:value'] !== undefined ? action['rdf:value'] : action) ?? '?';
  const refinements = isObject(action) ? constraintsOf({ constraint: action['refinement'] }).map(constraintShape).sort() : [];
  return `${localName(name)}[${refinements.join(',')}]`;
}

function constraintShape(constraint: Json): string {
  return `${localName(idOf(constraint['leftOperand']) ?? '?')} ${localName(idOf(constraint['operator']) ?? '?')}`;
}

function ruleShape(kind: string, rule: Json): string {
  const actions = list(rule['action']).map(actionShape).sort().join('+');
  const assignee = idOf(rule['assignee']);
  const constraints = constraintsOf(rule).map(constraintShape).sort().join(',');
  const duties = list(rule['duty']).filter(isObject).map((duty) => ruleShape('duty', duty)).sort().join(';');
  return `${kind}(${actions}|${assignee === undefined ? '' : localName(assignee)}|${constraints}|${duties})`;
}

/** The offer's structure with every parameter value left out (see the module comment). */
export function policyShape(policy: Json): string {
  return rulesOf(policy).map(({ kind, rule }) => ruleShape(kind, rule)).sort().join(' ');
}

/** Recognises offers made from `templates` (each instantiated with any valid parameters). */
export function templateRecogniser(templates: ReadonlyArray<{ name: string; document: Json }>): (offer: OdrlOffer) => string | undefined {
  const byShape = new Map<string, string | undefined>();
  for (const { name, document } of templates) {
    const shape = policyShape(document);
    // Two templates of one shape cannot be told apart: name neither.
    byShape.set(shape, byShape.has(shape) ? undefined : name);
  }
  return (offer) => byShape.get(policyShape(offer as Json));
}
