/**
 * Left operands: what each one measures in the request or the state of the world, and the
 * kind of value it compares (odrl.md "Constraints", ODRL Vocabulary §"Left Operands"). An
 * operand missing from this table is not understood, and a policy using it is refused.
 */
import { expandSov, odrl, placeIri, sov } from './iri.js';
import type { PolicyRequest, PolicyWorld } from './types.js';
import type { Rendered } from './report.js';
import { instantOf, parseDuration, parseNumber, type Value, type ValueKind } from './values.js';
import type { PolicyVocabulary } from './vocabulary.js';

/** Per-request view of the inputs, prepared once per evaluation. */
export interface EvalContext {
  readonly request: PolicyRequest;
  readonly world: PolicyWorld;
  readonly vocabulary: PolicyVocabulary;
  readonly nowMs: number | undefined;
  readonly recipientPlace: string | undefined;
  readonly fulfilled: ReadonlySet<string>;
  /** The assignee's verified memberships, expanded to IRIs. */
  readonly memberships: readonly string[];
  /** Operand values already read in this evaluation (and their report form), by operand IRI and kind. */
  readonly reads: Map<string, OperandRead | undefined>;
}

export interface OperandRead {
  values: Value[];
  /** Report form, rendered on first use. */
  shown?: Rendered;
}

/** How a multi-valued operand meets a set operator: some value, or every value, must match. */
export type Quantifier = 'one' | 'some' | 'all';

export interface OperandSpec {
  /** Kind of the right operand; `any` takes the right operand's own datatype. */
  kind: ValueKind | 'any';
  quantifier: Quantifier;
  /** Values in force, or undefined when the world does not say (then the constraint is unknown). */
  read(ctx: EvalContext, kind: ValueKind): Value[] | undefined;
}

export function prepareContext(request: PolicyRequest, world: PolicyWorld, vocabulary: PolicyVocabulary): EvalContext {
  const recipient = world.recipientJurisdiction ?? request.assignee.nation;
  return {
    request,
    world,
    vocabulary,
    nowMs: instantOf(world.now),
    recipientPlace: recipient === undefined ? undefined : placeIri(recipient),
    fulfilled: new Set((world.dutiesFulfilled ?? []).map(expandSov)),
    memberships: (request.assignee.memberships ?? []).map(expandSov),
    reads: new Map(),
  };
}

let lastIsoMs = Number.NaN;
let lastIso = '';

/** `new Date(ms).toISOString()`, remembering the last instant: a report shows `now` twice (evaluatedAt, dateTime). */
export function isoString(ms: number): string {
  if (ms !== lastIsoMs) {
    lastIso = new Date(ms).toISOString();
    lastIsoMs = ms;
  }
  return lastIso;
}

/** Converts a raw world value to the kind a constraint compares. */
export function convert(raw: unknown, kind: ValueKind, vocabulary: PolicyVocabulary): Value | undefined {
  switch (kind) {
    case 'instant': {
      const ms = instantOf(raw);
      return ms === undefined ? undefined : { t: 'instant', ms, lexical: isoString(ms) };
    }
    case 'duration':
      if (typeof raw === 'number') return { t: 'duration', ms: raw, months: 0, lexical: `PT${raw / 1000}S` };
      return typeof raw === 'string' ? okValue(parseDuration(raw)) : undefined;
    case 'number':
      if (typeof raw === 'number') return { t: 'number', n: raw, lexical: String(raw) };
      return typeof raw === 'string' ? okValue(parseNumber(raw, false)) : undefined;
    case 'ordinal':
      return ordinalOf(raw, vocabulary);
    case 'boolean':
      return typeof raw === 'boolean' ? { t: 'boolean', b: raw } : undefined;
    case 'string':
      return typeof raw === 'string' ? { t: 'string', s: raw } : undefined;
    case 'iri':
      return typeof raw === 'string' ? { t: 'iri', s: expandSov(raw) } : undefined;
  }
}

function okValue(parsed: { ok: true; value: Value } | { ok: false }): Value | undefined {
  return parsed.ok ? parsed.value : undefined;
}

export function ordinalOf(raw: unknown, vocabulary: PolicyVocabulary): Value | undefined {
  if (typeof raw === 'number' && Number.isInteger(raw)) {
    return { t: 'ordinal', n: raw, s: vocabulary.levelIris.get(raw) ?? String(raw) };
  }
  if (typeof raw !== 'string') return undefined;
  const iri = expandSov(raw);
  const level = vocabulary.levels.get(iri);
  return level === undefined ? undefined : { t: 'ordinal', n: level, s: iri };
}

const iris = (values: readonly string[] | undefined, map: (value: string) => string = expandSov): Value[] | undefined =>
  values === undefined ? undefined : values.map((value) => ({ t: 'iri', s: map(value) }));

const single = (value: Value | undefined): Value[] | undefined => (value === undefined ? undefined : [value]);

function elapsed(ctx: EvalContext): Value[] | undefined {
  const { world } = ctx;
  if (world.elapsed !== undefined) return single(convert(world.elapsed, 'duration', ctx.vocabulary));
  const start = instantOf(world.agreementTime);
  if (start === undefined || ctx.nowMs === undefined) return undefined;
  const ms = ctx.nowMs - start;
  return [{ t: 'duration', ms, months: 0, lexical: `PT${ms / 1000}S`, anchor: start }];
}

/** Free operands read from `world.operands` by IRI or ODRL term. */
function fromWorld(iri: string, term: string): OperandSpec['read'] {
  return (ctx, kind) => {
    const raw = ctx.world.operands?.[iri] ?? ctx.world.operands?.[term];
    if (raw === undefined) return undefined;
    const values = Array.isArray(raw) ? raw : [raw];
    const converted = values.map((value) => convert(value, kind, ctx.vocabulary));
    return converted.every((value) => value !== undefined) ? (converted as Value[]) : undefined;
  };
}

const spec = (kind: OperandSpec['kind'], quantifier: Quantifier, read: OperandSpec['read']): OperandSpec => ({ kind, quantifier, read });

const FREE_OPERANDS: ReadonlyArray<[string, OperandSpec['kind']]> = [
  ['absolutePosition', 'any'], ['absoluteSpatialPosition', 'any'], ['absoluteTemporalPosition', 'any'],
  ['absoluteSize', 'any'], ['relativePosition', 'any'], ['relativeSpatialPosition', 'any'],
  ['relativeTemporalPosition', 'any'], ['relativeSize', 'any'], ['deliveryChannel', 'any'],
  ['fileFormat', 'any'], ['language', 'any'], ['media', 'any'], ['product', 'any'], ['systemDevice', 'any'],
  ['unitOfCount', 'any'], ['version', 'any'], ['virtualLocation', 'any'], ['spatialCoordinates', 'any'],
  ['payAmount', 'number'], ['percentage', 'number'], ['resolution', 'number'],
  ['delayPeriod', 'duration'], ['meteredTime', 'duration'], ['timeInterval', 'duration'],
];

function buildTable(): Map<string, OperandSpec> {
  const table = new Map<string, OperandSpec>();
  for (const [term, kind] of FREE_OPERANDS) table.set(odrl(term), spec(kind, 'some', fromWorld(odrl(term), term)));
  table.set(odrl('dateTime'), spec('instant', 'one', (ctx) => single(convert(ctx.nowMs, 'instant', ctx.vocabulary))));
  table.set(odrl('elapsedTime'), spec('duration', 'one', elapsed));
  table.set(odrl('count'), spec('number', 'one', (ctx) =>
    ctx.world.uses === undefined ? undefined : [{ t: 'number', n: ctx.world.uses + 1, lexical: String(ctx.world.uses + 1) }]));
  table.set(odrl('purpose'), spec('iri', 'one', (ctx) => iris(ctx.request.purpose === undefined ? undefined : [ctx.request.purpose])));
  table.set(odrl('spatial'), spec('iri', 'one', (ctx) => {
    const place = ctx.world.spatial ?? ctx.recipientPlace;
    return iris(place === undefined ? undefined : [place], placeIri);
  }));
  table.set(odrl('recipient'), spec('iri', 'one', (ctx) => iris([ctx.world.recipient ?? ctx.request.assignee.id])));
  table.set(odrl('industry'), spec('any', 'one', (ctx, kind) => single(convert(ctx.request.assignee.industry, kind, ctx.vocabulary))));
  table.set(odrl('event'), spec('iri', 'one', (ctx) => single(convert(ctx.nowMs, 'instant', ctx.vocabulary))));
  table.set(sov('recipientJurisdiction'), spec('iri', 'one', (ctx) => iris(ctx.recipientPlace === undefined ? undefined : [ctx.recipientPlace])));
  table.set(sov('residency'), spec('iri', 'all', (ctx) => {
    // An empty residency list would satisfy "every place is allowed" vacuously: treat it as unknown.
    const places = ctx.world.residency ?? (ctx.recipientPlace === undefined ? undefined : [ctx.recipientPlace]);
    return places === undefined || places.length === 0 ? undefined : iris(places, placeIri);
  }));
  table.set(sov('classification'), spec('ordinal', 'one', (ctx) => single(ordinalOf(ctx.world.classification, ctx.vocabulary))));
  table.set(sov('dataProtectionRegime'), spec('iri', 'one', (ctx) => iris(ctx.world.dataProtectionRegime === undefined ? undefined : [ctx.world.dataProtectionRegime])));
  table.set(sov('membershipRole'), spec('iri', 'some', (ctx) => iris(ctx.request.assignee.roles ?? [])));
  for (const term of ['kAnonymity', 'lDiversity', 'maxSuppression', 'epsilon', 'epsilonBudget']) table.set(sov(term), spec('number', 'one', fromWorld(sov(term), term)));
  return table;
}

export const OPERANDS: ReadonlyMap<string, OperandSpec> = buildTable();

/** Reads an operand once per evaluation: several constraints on one operand share the value. */
export function readOperand(ctx: EvalContext, iri: string, spec: OperandSpec, kind: ValueKind): OperandRead | undefined {
  const key = spec.kind === 'any' ? `${iri} ${kind}` : iri;
  if (ctx.reads.has(key)) return ctx.reads.get(key);
  const values = spec.read(ctx, kind);
  const read = values === undefined ? undefined : { values };
  ctx.reads.set(key, read);
  return read;
}
