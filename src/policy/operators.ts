/**
 * The twelve ODRL operators (ODRL Vocabulary §"Operators") over typed values, in three-valued
 * logic: true, false, or undefined when the values cannot be compared. IRIs are compared with
 * their hierarchy for the set-based operators: `sov:purpose/research/health isPartOf
 * sov:purpose/research`, and a party or asset is part of the collections the world's `partOf`
 * (or the verified memberships) name. `eq`/`neq` compare IRIs exactly.
 */
import { expandSov, odrl } from './iri.js';
import type { EvalContext, Quantifier } from './operands.js';
import { equals, order, type Value } from './values.js';

export type Tri = boolean | undefined;

/** `a` is `b` or (transitively) part of / narrower than `b`. */
export function within(ctx: EvalContext, a: string, b: string): boolean {
  if (a === b) return true;
  const broader = ctx.vocabulary.broader;
  if (broader.get(a)?.has(b) === true) return true;
  for (const parent of ctx.world.partOf?.[a] ?? []) {
    const iri = expandSov(parent);
    if (iri === b || broader.get(iri)?.has(b) === true) return true;
  }
  if (a !== ctx.request.assignee.id) return false;
  for (const parent of ctx.memberships) if (parent === b || broader.get(parent)?.has(b) === true) return true;
  return false;
}

/** Membership test used by the set operators: exact, or hierarchical for IRIs. */
function matches(ctx: EvalContext, found: Value, required: Value): Tri {
  if (found.t === 'iri' && required.t === 'iri') return within(ctx, found.s, required.s);
  return equals(found, required);
}

function anyTrue(results: Tri[]): Tri {
  if (results.includes(true)) return true;
  return results.includes(undefined) ? undefined : false;
}

function allTrue(results: Tri[]): Tri {
  if (results.includes(false)) return false;
  return results.includes(undefined) ? undefined : true;
}

type PerValue = (ctx: EvalContext, found: Value, required: readonly Value[]) => Tri;

/** The value matches one of the listed items (three-valued). */
function matchesAny(ctx: EvalContext, found: Value, required: readonly Value[]): Tri {
  let unknown = false;
  for (const item of required) {
    const result = matches(ctx, found, item);
    if (result === true) return true;
    if (result === undefined) unknown = true;
  }
  return unknown ? undefined : false;
}

function ordered(test: (sign: number) => boolean): PerValue {
  return (_ctx, found, required) => {
    const sign = order(found, required[0] as Value);
    return sign === undefined ? undefined : test(sign);
  };
}

const PER_VALUE: ReadonlyMap<string, PerValue> = new Map<string, PerValue>([
  [odrl('eq'), (_ctx, found, required) => equals(found, required[0] as Value)],
  [odrl('lt'), ordered((sign) => sign < 0)],
  [odrl('lteq'), ordered((sign) => sign <= 0)],
  [odrl('gt'), ordered((sign) => sign > 0)],
  [odrl('gteq'), ordered((sign) => sign >= 0)],
  [odrl('isA'), matchesAny],
  [odrl('isPartOf'), matchesAny],
  [odrl('isAnyOf'), matchesAny],
]);

/** Operators whose truth is the negation of a per-value operator, applied to every value. */
const NEGATED: ReadonlyMap<string, string> = new Map([
  [odrl('neq'), odrl('eq')],
  [odrl('isNoneOf'), odrl('isAnyOf')],
]);

function setLevel(ctx: EvalContext, found: readonly Value[], required: readonly Value[], quantifier: Quantifier): Tri {
  // isAllOf / hasPart: the value (set) contains every listed item; a single IRI contains its parts.
  return allTrue(
    required.map((item) =>
      anyTrue(
        found.map((value) =>
          quantifier === 'one' && value.t === 'iri' && item.t === 'iri' ? within(ctx, item.s, value.s) : matches(ctx, value, item),
        ),
      ),
    ),
  );
}

export const OPERATORS: ReadonlySet<string> = new Set([
  ...PER_VALUE.keys(),
  ...NEGATED.keys(),
  odrl('isAllOf'),
  odrl('hasPart'),
]);

export const ORDERING_OPERATORS: ReadonlySet<string> = new Set(['lt', 'lteq', 'gt', 'gteq'].map(odrl));
export const SINGLE_OPERAND_OPERATORS: ReadonlySet<string> = new Set([...ORDERING_OPERATORS, odrl('eq'), odrl('neq')]);

/** Applies `operator` to the operand's values in force; `some`/`all` say how a set of values meets it. */
export type OperatorTest = (ctx: EvalContext, found: readonly Value[], required: readonly Value[]) => Tri;

const IS_ALL_OF = odrl('isAllOf');
const HAS_PART = odrl('hasPart');

/** Three-valued "some value passes" / "every value passes" over the values in force, without allocating. */
function quantified(test: PerValue, quantifier: Quantifier, negate: boolean): OperatorTest {
  const every = negate || quantifier === 'all';
  return (ctx, found, required) => {
    let unknown = false;
    for (const value of found) {
      let result = test(ctx, value, required);
      if (negate && result !== undefined) result = !result;
      if (result === undefined) unknown = true;
      else if (result !== every) return result;
    }
    return unknown ? undefined : every;
  };
}

/**
 * The operator as a closure, chosen at compile time; `some`/`all` say how a set of values meets
 * it, and `neq`/`isNoneOf` hold when no value is equal / one of the list.
 */
export function operatorFor(operator: string, quantifier: Quantifier): OperatorTest {
  if (operator === IS_ALL_OF && quantifier === 'one') {
    return (ctx, found, required) => allTrue(required.map((item) => matches(ctx, found[0] as Value, item)));
  }
  if (operator === IS_ALL_OF || operator === HAS_PART) return (ctx, found, required) => setLevel(ctx, found, required, quantifier);
  const negated = NEGATED.get(operator);
  return quantified(PER_VALUE.get(negated ?? operator) as PerValue, quantifier, negated !== undefined);
}
