/**
 * Rule semantics (odrl.md "Rules", "Actions", "Refinements", "Conflicts"; formal semantics
 * examples): logical constraints, refinements, action inclusion, conflict strategies, duties,
 * missing information, policy-level composition and collections. Each case asserts the outcome
 * and the reason the report gives.
 */
import { describe, expect, it } from 'vitest';
import { CONSUMER, SOV, TARGET, constraint, decide, expectDecision, permissionWith, policy, type Json } from './helpers.js';
import type { PolicyRequest, PolicyWorld } from '../../src/policy/index.js';

const id = (iri: string): Json => ({ '@id': iri });
const countLteq = (n: number): Json => constraint('count', 'lteq', n);
const purposeIs = (local: string): Json => constraint('purpose', 'isPartOf', id(`${SOV}purpose/${local}`));
const logical = (operator: string, ...operands: Json[]): Json => ({ [operator]: operands });

interface Case {
  name: string;
  document: Json;
  outcome: 'permitted' | 'prohibited' | 'not-applicable';
  code?: string;
  request?: Partial<PolicyRequest>;
  world?: Partial<PolicyWorld>;
}

const logicalCases: Case[] = [
  { name: 'and: all hold', document: permissionWith(logical('and', countLteq(5), purposeIs('research'))), outcome: 'permitted' },
  { name: 'and: one fails', document: permissionWith(logical('and', countLteq(4), purposeIs('research'))), outcome: 'not-applicable', code: 'SOV_POLICY_CONSTRAINT_UNSATISFIED' },
  { name: 'or: one holds', document: permissionWith(logical('or', countLteq(4), purposeIs('research'))), outcome: 'permitted' },
  { name: 'or: none holds', document: permissionWith(logical('or', countLteq(4), purposeIs('commercial'))), outcome: 'not-applicable', code: 'SOV_POLICY_CONSTRAINT_UNSATISFIED' },
  { name: 'xone: exactly one holds', document: permissionWith(logical('xone', countLteq(4), purposeIs('research'))), outcome: 'permitted' },
  { name: 'xone: both hold', document: permissionWith(logical('xone', countLteq(5), purposeIs('research'))), outcome: 'not-applicable', code: 'SOV_POLICY_CONSTRAINT_UNSATISFIED' },
  { name: 'xone: none holds', document: permissionWith(logical('xone', countLteq(4), purposeIs('commercial'))), outcome: 'not-applicable', code: 'SOV_POLICY_CONSTRAINT_UNSATISFIED' },
  { name: 'andSequence: all hold in order', document: permissionWith(logical('andSequence', purposeIs('research'), countLteq(5))), outcome: 'permitted' },
  { name: 'andSequence: second fails', document: permissionWith(logical('andSequence', purposeIs('research'), countLteq(3))), outcome: 'not-applicable', code: 'SOV_POLICY_CONSTRAINT_UNSATISFIED' },
  { name: 'nested or inside and', document: permissionWith(logical('and', countLteq(5), logical('or', purposeIs('commercial'), purposeIs('research')))), outcome: 'permitted' },
  { name: 'several constraints on a rule mean and', document: permissionWith([countLteq(5), purposeIs('commercial')]), outcome: 'not-applicable', code: 'SOV_POLICY_CONSTRAINT_UNSATISFIED' },
  {
    name: 'constraints given by reference in @graph',
    document: {
      '@context': ['http://www.w3.org/ns/odrl.jsonld', 'https://w3id.org/sovereign-connector/policy/v1'],
      '@graph': [
        { '@type': 'Set', uid: 'urn:policy:graph', permission: [{ action: 'use', target: TARGET, constraint: [{ '@id': 'urn:constraint:either' }] }] },
        { uid: 'urn:constraint:either', or: [{ '@id': 'urn:constraint:count' }, { '@id': 'urn:constraint:purpose' }] },
        { uid: 'urn:constraint:count', leftOperand: 'count', operator: 'lteq', rightOperand: 1 },
        { uid: 'urn:constraint:purpose', leftOperand: 'purpose', operator: 'eq', rightOperand: { '@id': 'sov:purpose/commercial' } },
      ],
    },
    outcome: 'not-applicable',
    code: 'SOV_POLICY_CONSTRAINT_UNSATISFIED',
  },
];

const printRefined = (dpi: number): Json =>
  policy({ permission: [{ target: TARGET, action: [{ 'rdf:value': { '@id': 'odrl:print' }, refinement: [constraint('resolution', 'lteq', dpi)] }] }] });
const healthcareParties = policy({
  permission: [{ action: 'use', target: TARGET, assignee: { '@type': 'PartyCollection', source: 'urn:collection:agencies', refinement: [constraint('industry', 'eq', 'health')] } }],
});
const officialAssets = policy({
  permission: [{ action: 'use', target: { '@type': 'AssetCollection', source: 'urn:collection:statistics', refinement: [constraint('classification', 'lteq', id(`${SOV}classification/official`))] } }],
});

const refinementCases: Case[] = [
  { name: 'action refinement holds (print at 600 <= 1200 dpi)', document: printRefined(1200), outcome: 'permitted', request: { action: 'print' } },
  { name: 'action refinement fails (600 > 300 dpi)', document: printRefined(300), outcome: 'not-applicable', code: 'SOV_POLICY_CONSTRAINT_UNSATISFIED', request: { action: 'print' } },
  { name: 'party collection member with matching refinement', document: healthcareParties, outcome: 'permitted', world: { partOf: { [CONSUMER]: ['urn:collection:agencies'] } } },
  { name: 'party collection member failing the refinement', document: healthcareParties, outcome: 'not-applicable', code: 'SOV_POLICY_CONSTRAINT_UNSATISFIED', world: { partOf: { [CONSUMER]: ['urn:collection:agencies'] } }, request: { assignee: { id: CONSUMER, industry: 'finance' } } },
  { name: 'party not in the collection', document: healthcareParties, outcome: 'not-applicable', code: 'SOV_POLICY_NO_PERMISSION' },
  { name: 'asset in the collection with matching refinement', document: officialAssets, outcome: 'permitted', world: { partOf: { [TARGET]: ['urn:collection:statistics'] } } },
  { name: 'asset in the collection above the refinement', document: officialAssets, outcome: 'not-applicable', code: 'SOV_POLICY_CONSTRAINT_UNSATISFIED', world: { partOf: { [TARGET]: ['urn:collection:statistics'] }, classification: 2 } },
  { name: 'asset outside the collection', document: officialAssets, outcome: 'not-applicable', code: 'SOV_POLICY_NO_PERMISSION' },
  { name: 'assignee collection matched through verified memberships', document: policy({ permission: [{ action: 'use', target: TARGET, assignee: { '@type': 'PartyCollection', uid: 'sov:party/coalition' } }] }), outcome: 'permitted' },
  { name: 'named assignee is not the requester', document: policy({ permission: [{ action: 'use', target: TARGET, assignee: 'did:web:uk.example' }] }), outcome: 'not-applicable', code: 'SOV_POLICY_NO_PERMISSION' },
];

const use = policy({ permission: [{ action: 'use', target: TARGET }] });
const actionCases: Case[] = [
  { name: 'use covers read', document: use, outcome: 'permitted', request: { action: 'read' } },
  { name: 'use covers display (display → play → use)', document: use, outcome: 'permitted', request: { action: 'http://www.w3.org/ns/odrl/2/display' } },
  { name: 'use covers extract (extract → reproduce → use)', document: use, outcome: 'permitted', request: { action: 'odrl:extract' } },
  { name: 'use covers deprecated write (exactMatch modify)', document: use, outcome: 'permitted', request: { action: 'write' } },
  { name: 'use does not cover sell (sell is in transfer)', document: use, outcome: 'not-applicable', code: 'SOV_POLICY_NO_PERMISSION', request: { action: 'sell' } },
  { name: 'read does not cover use', document: policy({ permission: [{ action: 'read', target: TARGET }] }), outcome: 'not-applicable', code: 'SOV_POLICY_NO_PERMISSION', request: { action: 'use' } },
  { name: 'transfer covers give', document: policy({ permission: [{ action: 'transfer', target: TARGET }] }), outcome: 'permitted', request: { action: 'give' } },
  { name: 'prohibiting play forbids display', document: policy({ permission: [{ action: 'display', target: TARGET }], prohibition: [{ action: 'play', target: TARGET }], conflict: 'prohibit' }), outcome: 'prohibited', code: 'SOV_POLICY_PROHIBITED', request: { action: 'display' } },
  { name: 'prohibiting distribute leaves a use request alone', document: policy({ permission: [{ action: 'use', target: TARGET }], prohibition: [{ action: 'distribute', target: TARGET }] }), outcome: 'permitted', request: { action: 'use' } },
  { name: 'rule with two actions is atomised', document: policy({ permission: [{ action: ['print', 'read'], target: TARGET }] }), outcome: 'permitted', request: { action: 'read' } },
  { name: 'rule with two targets is atomised', document: policy({ permission: [{ action: 'use', target: ['urn:dataset:other', TARGET] }] }), outcome: 'permitted' },
  { name: 'policy-level target and assignee apply to rules', document: policy({ target: TARGET, assignee: CONSUMER, permission: [{ action: 'use' }] }), outcome: 'permitted' },
  { name: 'policy-level target excludes other assets', document: policy({ target: 'urn:dataset:other', permission: [{ action: 'use' }] }), outcome: 'not-applicable', code: 'SOV_POLICY_NO_PERMISSION' },
  { name: 'a rule without target (catalogue offer) covers the requested dataset', document: policy({ permission: [{ action: 'use' }] }), outcome: 'permitted' },
];

const readAndDistribute = (conflict?: string): Json => policy({
  ...(conflict === undefined ? {} : { conflict }),
  permission: [{ action: 'use', target: TARGET }],
  prohibition: [{ action: 'distribute', target: TARGET, remedy: [{ action: 'delete' }] }],
});
const conflictCases: Case[] = [
  { name: 'perm: the permission wins', document: readAndDistribute('perm'), outcome: 'permitted', request: { action: 'distribute' } },
  { name: 'prohibit: the prohibition wins', document: readAndDistribute('prohibit'), outcome: 'prohibited', code: 'SOV_POLICY_PROHIBITED', request: { action: 'distribute' } },
  { name: 'invalid: the policy is void', document: readAndDistribute('invalid'), outcome: 'prohibited', code: 'SOV_POLICY_CONFLICT', request: { action: 'distribute' } },
  { name: 'unset: ODRL default invalid voids the policy', document: readAndDistribute(), outcome: 'prohibited', code: 'SOV_POLICY_CONFLICT', request: { action: 'distribute' } },
  { name: 'no conflict when the prohibition does not apply', document: readAndDistribute(), outcome: 'permitted', request: { action: 'read' } },
  { name: 'prohibition alone prohibits', document: policy({ prohibition: [{ action: 'use', target: TARGET }] }), outcome: 'prohibited', code: 'SOV_POLICY_PROHIBITED' },
  { name: 'prohibition whose constraint does not hold is inactive', document: policy({ permission: [{ action: 'use', target: TARGET }], prohibition: [{ action: 'read', target: TARGET, constraint: [constraint('recipientJurisdiction', 'eq', id(`${SOV}place/au`))] }] }), outcome: 'permitted' },
  { name: 'prohibition whose operand is missing stays in force (fail closed)', document: policy({ conflict: 'prohibit', permission: [{ action: 'use', target: TARGET }], prohibition: [{ action: 'read', target: TARGET, constraint: [constraint('recipientJurisdiction', 'eq', id(`${SOV}place/au`))] }] }), outcome: 'prohibited', code: 'SOV_POLICY_PROHIBITED', request: { assignee: { id: CONSUMER } } },
];

const anonymiseDuty = (extra: Json = {}): Json => ({ action: [{ 'rdf:value': { '@id': 'odrl:anonymize' }, refinement: [constraint('kAnonymity', 'gteq', 10), constraint('lDiversity', 'gteq', 3)] }], ...extra });
const withDuty = (duty: Json): Json => policy({ permission: [{ action: 'use', target: TARGET, duty: [duty] }] });
const dutyCases: Case[] = [
  { name: 'unfulfilled pre-condition denies', document: withDuty(anonymiseDuty()), outcome: 'not-applicable', code: 'SOV_POLICY_DUTY_UNFULFILLED' },
  { name: 'fulfilled pre-condition (by action) permits', document: withDuty(anonymiseDuty()), outcome: 'permitted', world: { dutiesFulfilled: ['anonymize'] } },
  { name: 'fulfilled pre-condition (by duty uid) permits', document: withDuty(anonymiseDuty({ uid: 'urn:duty:anon' })), outcome: 'permitted', world: { dutiesFulfilled: ['urn:duty:anon'] } },
  { name: 'duty whose constraint is inactive does not block (C21)', document: withDuty(anonymiseDuty({ constraint: [constraint('recipientJurisdiction', 'isNoneOf', [id(`${SOV}place/ca`)])] })), outcome: 'permitted' },
  { name: 'duty whose constraint is active blocks', document: withDuty(anonymiseDuty({ constraint: [constraint('recipientJurisdiction', 'eq', id(`${SOV}place/ca`))] })), outcome: 'not-applicable', code: 'SOV_POLICY_DUTY_UNFULFILLED' },
  { name: 'duty whose constraint is unknown binds (fail closed)', document: withDuty(anonymiseDuty({ constraint: [constraint('recipientJurisdiction', 'eq', id(`${SOV}place/ca`))] })), outcome: 'not-applicable', code: 'SOV_POLICY_DUTY_UNFULFILLED', request: { assignee: { id: CONSUMER } } },
  { name: 'a policy obligation does not block the permission', document: policy({ permission: [{ action: 'use', target: TARGET }], obligation: [{ action: 'inform', assignee: CONSUMER }] }), outcome: 'permitted' },
];

const missingCases: Case[] = [
  { name: 'count with no uses recorded is unknown', document: permissionWith(countLteq(5)), outcome: 'not-applicable', code: 'SOV_POLICY_OPERAND_MISSING', world: { uses: undefined } },
  { name: 'elapsedTime with no agreement time is unknown', document: permissionWith(constraint('elapsedTime', 'lteq', 'P30D')), outcome: 'not-applicable', code: 'SOV_POLICY_OPERAND_MISSING', world: { agreementTime: undefined } },
  { name: 'isNoneOf with no purpose stated is unknown', document: permissionWith(constraint('purpose', 'isNoneOf', [id(`${SOV}purpose/commercial`)])), outcome: 'not-applicable', code: 'SOV_POLICY_OPERAND_MISSING', request: { purpose: undefined } },
  { name: 'calendar duration with only an elapsed span is unknown', document: permissionWith(constraint('elapsedTime', 'lteq', 'P1M')), outcome: 'not-applicable', code: 'SOV_POLICY_OPERAND_MISSING', world: { agreementTime: undefined, elapsed: 'P10D' } },
  { name: 'explicit elapsed span is used', document: permissionWith(constraint('elapsedTime', 'lteq', 'P30D')), outcome: 'permitted', world: { agreementTime: undefined, elapsed: 'P10D' } },
  { name: 'rightOperandReference resolved from local data', document: permissionWith({ leftOperand: 'count', operator: 'lteq', rightOperandReference: 'urn:limits:census' }), outcome: 'permitted', world: { references: { 'urn:limits:census': 5 } } },
  { name: 'rightOperandReference with no local value is unknown', document: permissionWith({ leftOperand: 'count', operator: 'lteq', rightOperandReference: 'urn:limits:census' }), outcome: 'not-applicable', code: 'SOV_POLICY_OPERAND_MISSING' },
];

describe.each([
  ['logical constraints', logicalCases],
  ['refinements and collections', refinementCases],
  ['actions and rule composition', actionCases],
  ['conflict strategies', conflictCases],
  ['duties', dutyCases],
  ['missing information', missingCases],
])('%s', (_title, cases) => {
  it.each(cases)('$name', async ({ document, outcome, code, request, world }) => {
    const report = await decide(document, request, world);
    expect(report.problems.filter((item) => !item.message.includes('uid'))).toEqual([]);
    expectDecision(report, outcome, code);
  });
});

describe('duty reports', () => {
  it('lists the duty with its k and l parameters and marks the decision as waiting only on duties', async () => {
    const report = await decide(withDuty(anonymiseDuty()));
    expect(report.permittedOnceDutiesFulfilled).toBe(true);
    expect(report.duties[0]).toMatchObject({
      action: 'anonymize',
      timing: 'pre-condition',
      state: 'pending',
      parameters: [{ name: 'sov:kAnonymity', operator: 'gteq', value: 10 }, { name: 'sov:lDiversity', operator: 'gteq', value: 3 }],
    });
    expect(report.explanation).toContain('anonymize (sov:kAnonymity gteq 10, sov:lDiversity gteq 3)');
  });

  it('reports the remedy of the prohibition that forbade the request', async () => {
    const report = await decide(readAndDistribute('prohibit'), { action: 'distribute' });
    expect(report.duties.map((duty) => [duty.action, duty.timing])).toEqual([['delete', 'remedy']]);
  });

  it('names the failing constraint with the value found and the value required', async () => {
    const report = await decide(permissionWith(countLteq(3)));
    expect(report.reasons[0]).toMatchObject({ code: 'SOV_POLICY_CONSTRAINT_UNSATISFIED', ruleId: '$.permission[0]', path: '$.permission[0].constraint[0]', leftOperand: 'count', operator: 'lteq' });
    expect(report.rules[0]?.constraints[0]).toMatchObject({ found: 5, required: 3, state: 'unsatisfied' });
  });
});
