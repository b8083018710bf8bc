/**
 * Every ODRL operator over each datatype it accepts (ODRL Vocabulary §Operators, odrl.md
 * "Constraints"): each row is one permission with one constraint, evaluated against the same
 * baseline world (now 2026-03-01T12:00Z, agreement 28 days earlier, 4 uses so far, purpose
 * research/health, roles researcher + analyst, language "en", payAmount 12.5).
 */
import { describe, expect, it } from 'vitest';
import { constraint, decide, expectDecision, permissionWith, SOV, type Json } from './helpers.js';
import type { PolicyRequest, PolicyWorld } from '../../src/policy/index.js';

const typed = (value: unknown, type: string): Json => ({ '@value': value, '@type': type });
const id = (iri: string): Json => ({ '@id': iri });
const sov = (local: string): Json => id(`${SOV}${local}`);
const EVENT = 'https://example.org/event/summit';

interface Row {
  name: string;
  c: Json;
  ok: boolean;
  request?: Partial<PolicyRequest>;
  world?: Partial<PolicyWorld>;
}

const P = true;
const F = false;
const row = (name: string, c: Json, ok: boolean, request?: Partial<PolicyRequest>, world?: Partial<PolicyWorld>): Row => ({ name, c, ok, request, world });

const rows: Row[] = [
  // xsd:dateTime / xsd:date against odrl:dateTime (instants, zones normalised; a date is a UTC day)
  row('dateTime eq same instant in another zone', constraint('dateTime', 'eq', typed('2026-03-01T13:00:00+01:00', 'xsd:dateTime')), P),
  row('dateTime eq other instant', constraint('dateTime', 'eq', typed('2026-03-01T12:00:01Z', 'xsd:dateTime')), F),
  row('dateTime eq date containing now', constraint('dateTime', 'eq', typed('2026-03-01', 'xsd:date')), P),
  row('dateTime eq another date', constraint('dateTime', 'eq', typed('2026-03-02', 'xsd:date')), F),
  row('dateTime neq other instant', constraint('dateTime', 'neq', typed('2026-01-01T00:00:00Z', 'xsd:dateTime')), P),
  row('dateTime neq same instant', constraint('dateTime', 'neq', typed('2026-03-01T12:00:00Z', 'xsd:dateTime')), F),
  row('dateTime lt 1 ms later (boundary)', constraint('dateTime', 'lt', typed('2026-03-01T12:00:00.001Z', 'xsd:dateTime')), P),
  row('dateTime lt now exactly (boundary)', constraint('dateTime', 'lt', typed('2026-03-01T12:00:00Z', 'xsd:dateTime')), F),
  row('dateTime lteq now exactly (boundary)', constraint('dateTime', 'lteq', typed('2026-03-01T12:00:00Z', 'xsd:dateTime')), P),
  row('dateTime lteq 1 ms earlier (boundary)', constraint('dateTime', 'lteq', typed('2026-03-01T11:59:59.999Z', 'xsd:dateTime')), F),
  row('dateTime gt 1 ms earlier (boundary)', constraint('dateTime', 'gt', typed('2026-03-01T11:59:59.999Z', 'xsd:dateTime')), P),
  row('dateTime gt now exactly (boundary)', constraint('dateTime', 'gt', typed('2026-03-01T12:00:00Z', 'xsd:dateTime')), F),
  row('dateTime gteq now exactly (boundary)', constraint('dateTime', 'gteq', typed('2026-03-01T12:00:00Z', 'xsd:dateTime')), P),
  row('dateTime lt next date', constraint('dateTime', 'lt', typed('2026-03-02', 'xsd:date')), P),
  row('dateTime lt current date', constraint('dateTime', 'lt', typed('2026-03-01', 'xsd:date')), F),
  row('dateTime lteq current date', constraint('dateTime', 'lteq', typed('2026-03-01', 'xsd:date')), P),
  row('dateTime gteq current date', constraint('dateTime', 'gteq', typed('2026-03-01', 'xsd:date')), P),
  row('dateTime gt current date (still inside it)', constraint('dateTime', 'gt', typed('2026-03-01', 'xsd:date')), F),
  row('dateTime gt untyped dateTime string', constraint('dateTime', 'gt', '2026-01-01T00:00:00Z'), P),
  row('dateTime window ends at the first instant of the next day', constraint('dateTime', 'lt', typed('2026-03-02T00:00:00Z', 'xsd:dateTime')), P, {}, { now: '2026-03-01T23:59:59.999Z' }),
  // xsd:duration against odrl:elapsedTime (28 days since the agreement)
  row('elapsedTime lteq P28D (boundary)', constraint('elapsedTime', 'lteq', typed('P28D', 'xsd:duration')), P),
  row('elapsedTime lt P28D (boundary)', constraint('elapsedTime', 'lt', typed('P28D', 'xsd:duration')), F),
  row('elapsedTime lteq P27D', constraint('elapsedTime', 'lteq', typed('P27D', 'xsd:duration')), F),
  row('elapsedTime eq PT672H', constraint('elapsedTime', 'eq', typed('PT672H', 'xsd:duration')), P),
  row('elapsedTime eq P1M by calendar from the agreement', constraint('elapsedTime', 'eq', typed('P1M', 'xsd:duration')), P),
  row('elapsedTime gt PT1H', constraint('elapsedTime', 'gt', typed('PT1H', 'xsd:duration')), P),
  row('elapsedTime gteq P29D', constraint('elapsedTime', 'gteq', typed('P29D', 'xsd:duration')), F),
  row('elapsedTime neq P1D', constraint('elapsedTime', 'neq', typed('P1D', 'xsd:duration')), P),
  row('elapsedTime lteq untyped P30D', constraint('elapsedTime', 'lteq', 'P30D'), P),
  // xsd:integer against odrl:count (the requested use is the 5th)
  row('count lteq 5 (limit reached)', constraint('count', 'lteq', typed('5', 'xsd:integer')), P),
  row('count lteq 5 one use later', constraint('count', 'lteq', typed('5', 'xsd:integer')), F, {}, { uses: 5 }),
  row('count lt 5 (boundary)', constraint('count', 'lt', 5), F),
  row('count eq 5', constraint('count', 'eq', 5), P),
  row('count neq 5', constraint('count', 'neq', 5), F),
  row('count gt 4', constraint('count', 'gt', typed(4, 'xsd:nonNegativeInteger')), P),
  row('count gteq 6', constraint('count', 'gteq', 6), F),
  row('count isAnyOf [5, 6]', constraint('count', 'isAnyOf', [5, 6]), P),
  row('count isNoneOf [1, 2]', constraint('count', 'isNoneOf', [1, 2]), P),
  row('count isAllOf [5]', constraint('count', 'isAllOf', [5]), P),
  // xsd:decimal / xsd:double against odrl:payAmount (12.5)
  row('payAmount eq 12.50', constraint('payAmount', 'eq', typed('12.50', 'xsd:decimal'), { unit: 'https://dbpedia.org/resource/Euro' }), P),
  row('payAmount lt 12.49', constraint('payAmount', 'lt', typed('12.49', 'xsd:decimal')), F),
  row('payAmount gteq untyped "12.5"', constraint('payAmount', 'gteq', '12.5'), P),
  row('payAmount lteq 1.25e1 as xsd:double', constraint('payAmount', 'lteq', typed('1.25e1', 'xsd:double')), P),
  row('payAmount gt 12.5', constraint('payAmount', 'gt', 12.5), F),
  row('payAmount isAnyOf [10, 12.5]', constraint('payAmount', 'isAnyOf', [10, 12.5]), P),
  // xsd:string against odrl:language ("en")
  row('language eq "en"', constraint('language', 'eq', typed('en', 'xsd:string')), P),
  row('language eq "fr"', constraint('language', 'eq', 'fr'), F),
  row('language neq "fr"', constraint('language', 'neq', 'fr'), P),
  row('language isAnyOf [en, fr]', constraint('language', 'isAnyOf', ['en', 'fr']), P),
  row('language isNoneOf [de, fr]', constraint('language', 'isNoneOf', ['de', 'fr']), P),
  row('language isNoneOf [en]', constraint('language', 'isNoneOf', ['en']), F),
  row('language isAllOf [en]', constraint('language', 'isAllOf', ['en']), P),
  row('language hasPart "en" (multi-valued)', constraint('language', 'hasPart', 'en'), P, {}, { operands: { language: ['en', 'fr'] } }),
  row('language hasPart "de" (multi-valued)', constraint('language', 'hasPart', 'de'), F, {}, { operands: { language: ['en', 'fr'] } }),
  // IRIs against odrl:purpose (research/health), with the purpose hierarchy
  row('purpose eq exact IRI', constraint('purpose', 'eq', sov('purpose/research/health')), P),
  row('purpose eq broader IRI is not equal', constraint('purpose', 'eq', sov('purpose/research')), F),
  row('purpose eq xsd:anyURI literal', constraint('purpose', 'eq', typed(`${SOV}purpose/research/health`, 'xsd:anyURI')), P),
  row('purpose neq broader IRI', constraint('purpose', 'neq', sov('purpose/research')), P),
  row('purpose isA research', constraint('purpose', 'isA', sov('purpose/research')), P),
  row('purpose isA public-service', constraint('purpose', 'isA', sov('purpose/public-service')), F),
  row('purpose isPartOf research', constraint('purpose', 'isPartOf', sov('purpose/research')), P),
  row('purpose isPartOf itself', constraint('purpose', 'isPartOf', sov('purpose/research/health')), P),
  row('purpose isPartOf public-service', constraint('purpose', 'isPartOf', sov('purpose/public-service')), F),
  row('research does not isPartOf research/health', constraint('purpose', 'isPartOf', sov('purpose/research/health')), F, { purpose: 'sov:purpose/research' }),
  row('purpose isAnyOf [public-service, research]', constraint('purpose', 'isAnyOf', [sov('purpose/public-service'), sov('purpose/research')]), P),
  row('purpose isNoneOf [research] (narrower counts)', constraint('purpose', 'isNoneOf', [sov('purpose/research')]), F),
  row('purpose isNoneOf [commercial]', constraint('purpose', 'isNoneOf', [sov('purpose/commercial')]), P),
  row('purpose hasPart research/health from research', constraint('purpose', 'hasPart', sov('purpose/research/health')), P, { purpose: 'sov:purpose/research' }),
  row('purpose hasPart research from research/health', constraint('purpose', 'hasPart', sov('purpose/research')), F),
  row('purpose given as untyped absolute IRI string', constraint('purpose', 'eq', `${SOV}purpose/research/health`), P),
  // IRI lists against sov:membershipRole (researcher, analyst)
  row('membershipRole eq researcher (holds it)', constraint('membershipRole', 'eq', sov('role/researcher')), P),
  row('membershipRole neq admin', constraint('membershipRole', 'neq', sov('role/admin')), P),
  row('membershipRole isAllOf [researcher, analyst]', constraint('membershipRole', 'isAllOf', [sov('role/researcher'), sov('role/analyst')]), P),
  row('membershipRole isAllOf [researcher, admin]', constraint('membershipRole', 'isAllOf', [sov('role/researcher'), sov('role/admin')]), F),
  row('membershipRole isAnyOf [admin, analyst]', constraint('membershipRole', 'isAnyOf', [sov('role/admin'), sov('role/analyst')]), P),
  row('membershipRole isNoneOf [admin]', constraint('membershipRole', 'isNoneOf', [sov('role/admin')]), P),
  row('membershipRole isNoneOf [analyst]', constraint('membershipRole', 'isNoneOf', [sov('role/analyst')]), F),
  row('membershipRole hasPart researcher', constraint('membershipRole', 'hasPart', sov('role/researcher')), P),
  row('membershipRole eq admin without roles', constraint('membershipRole', 'eq', sov('role/admin')), F, { assignee: { id: 'did:web:x', nation: 'ca' } }),
  // places: sov:recipientJurisdiction and sov:residency (every place must match)
  row('recipientJurisdiction eu/de isPartOf eu', constraint('recipientJurisdiction', 'isPartOf', sov('place/eu')), P, {}, { recipientJurisdiction: 'eu/de' }),
  row('recipientJurisdiction eu/de eq eu (exact)', constraint('recipientJurisdiction', 'eq', sov('place/eu')), F, {}, { recipientJurisdiction: 'eu/de' }),
  row('recipientJurisdiction ca isAnyOf [uk, eu]', constraint('recipientJurisdiction', 'isAnyOf', [sov('place/uk'), sov('place/eu')]), F),
  row('residency [ca, uk] isPartOf coalition', constraint('residency', 'isPartOf', sov('place/coalition')), P, {}, { residency: ['ca', 'uk'] }),
  row('residency [ca, uk] isAnyOf [ca, uk]', constraint('residency', 'isAnyOf', [sov('place/ca'), sov('place/uk')]), P, {}, { residency: ['ca', 'uk'] }),
  row('residency [ca, uk] isAnyOf [ca] (uk outside)', constraint('residency', 'isAnyOf', [sov('place/ca')]), F, {}, { residency: ['ca', 'uk'] }),
  row('residency [ca, jp] isPartOf coalition', constraint('residency', 'isPartOf', sov('place/coalition')), F, {}, { residency: ['ca', 'jp'] }),
  row('spatial defaults to the recipient jurisdiction', constraint('spatial', 'isPartOf', sov('place/coalition')), P),
  // ordinal classification scale against sov:classification (official = 1)
  row('classification lteq official-sensitive', constraint('classification', 'lteq', sov('classification/official-sensitive')), P),
  row('classification lt official', constraint('classification', 'lt', sov('classification/official')), F),
  row('classification gteq level 1 as integer', constraint('classification', 'gteq', typed(1, 'xsd:integer')), P),
  row('classification eq official', constraint('classification', 'eq', sov('classification/official')), P),
  row('classification gt unclassified', constraint('classification', 'gt', sov('classification/unclassified')), P),
  row('classification lteq official for protected data', constraint('classification', 'lteq', sov('classification/official')), F, {}, { classification: 3 }),
  // events: lt before, eq during, gt after the event's period
  row('event eq summit (during)', constraint('event', 'eq', id(EVENT)), P),
  row('event lt summit (before)', constraint('event', 'lt', id(EVENT)), F),
  row('event gt summit (after)', constraint('event', 'gt', id(EVENT)), P, {}, { now: '2026-03-02T00:00:00Z' }),
  // parties as IRIs
  row('recipient eq the assignee', constraint('recipient', 'eq', id('did:web:ca.example%3A8443')), P),
  row('recipient isPartOf a collection through partOf', constraint('recipient', 'isPartOf', id('urn:group:analysts')), P, {}, { partOf: { 'did:web:ca.example%3A8443': ['urn:group:analysts'] } }),
  row('industry eq "health"', constraint('industry', 'eq', 'health'), P),
  row('industry eq "finance"', constraint('industry', 'eq', 'finance'), F),
];

describe('ODRL operators over typed operands', () => {
  it('has a row for every operator', () => {
    const operators = new Set(rows.map((item) => item.c['operator']));
    expect([...operators].sort()).toEqual(['eq', 'gt', 'gteq', 'hasPart', 'isA', 'isAllOf', 'isAnyOf', 'isNoneOf', 'isPartOf', 'lt', 'lteq', 'neq']);
  });

  it.each(rows)('$name', async ({ c, ok, request, world }) => {
    const report = await decide(permissionWith(c), request, world);
    expect(report.problems).toEqual([]);
    const leaf = report.rules[0]?.constraints[0];
    if (ok) {
      expectDecision(report, 'permitted');
      expect(leaf?.state).toBe('satisfied');
    } else {
      const operand = (c['leftOperand'] as string).replace(/^(recipientJurisdiction|residency|classification|membershipRole)$/, 'sov:$1');
      expectDecision(report, 'not-applicable', 'SOV_POLICY_CONSTRAINT_UNSATISFIED', operand);
      expect(leaf?.state).toBe('unsatisfied');
      expect(leaf?.found).not.toBeNull();
    }
  });
});
