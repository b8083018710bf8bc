/**
 * Fail closed (issue 4): a policy the evaluator cannot fully evaluate is a denial with the
 * reason and the JSON path, never an exception and never a silent allow. Every row here would
 * otherwise permit the request (the permission is `use` on the dataset).
 */
import { describe, expect, it } from 'vitest';
import { CONTEXT, TARGET, constraint, decide, expectDecision, permissionWith, policy, type Json } from './helpers.js';

interface Case {
  name: string;
  document: unknown;
  code: string;
  path?: string;
}

const cases: Case[] = [
  { name: 'not JSON at all', document: '{"@context": ', code: 'SOV_POLICY_MALFORMED', path: '$' },
  { name: 'a JSON array of numbers', document: [1, 2], code: 'SOV_POLICY_MALFORMED' },
  { name: 'unknown (remote) context', document: { ...policy({ permission: [{ action: 'use', target: TARGET }] }), '@context': 'https://evil.example/context.jsonld' }, code: 'SOV_POLICY_UNKNOWN_CONTEXT', path: '$["@context"]' },
  { name: 'misspelt property (safe mode)', document: policy({ permission: [{ action: 'use', target: TARGET, constriant: [constraint('count', 'lteq', 1)] }] }), code: 'SOV_POLICY_MALFORMED' },
  { name: 'unknown operator', document: permissionWith(constraint('count', 'odrl:about', 5)), code: 'SOV_POLICY_UNKNOWN_OPERATOR', path: '$.permission[0].constraint[0].operator' },
  { name: 'unknown left operand', document: permissionWith(constraint('https://example.org/moonPhase', 'eq', 'full')), code: 'SOV_POLICY_UNKNOWN_OPERAND', path: '$.permission[0].constraint[0].leftOperand' },
  { name: 'unsupported datatype', document: permissionWith(constraint('dateTime', 'lt', { '@value': '2026', '@type': 'xsd:gYear' })), code: 'SOV_POLICY_DATATYPE_INVALID', path: '$.permission[0].constraint[0].rightOperand[0]' },
  { name: 'datatype of the wrong kind for the operand', document: permissionWith(constraint('count', 'lteq', { '@value': 'P1D', '@type': 'xsd:duration' })), code: 'SOV_POLICY_DATATYPE_INVALID' },
  { name: 'dateTime without a time zone is ambiguous', document: permissionWith(constraint('dateTime', 'lt', { '@value': '2026-06-01T00:00:00', '@type': 'xsd:dateTime' })), code: 'SOV_POLICY_DATATYPE_INVALID' },
  { name: 'ordering strings', document: permissionWith(constraint('language', 'lt', 'en')), code: 'SOV_POLICY_DATATYPE_INVALID', path: '$.permission[0].constraint[0].operator' },
  { name: 'eq with two right operands', document: permissionWith(constraint('count', 'eq', [1, 2])), code: 'SOV_POLICY_MALFORMED' },
  { name: 'unknown classification level', document: permissionWith(constraint('classification', 'lteq', { '@id': 'https://w3id.org/sovereign-connector/vocab#classification/cosmic' })), code: 'SOV_POLICY_DATATYPE_INVALID' },
  { name: 'unsupported profile', document: policy({ profile: 'https://example.org/odrl-profile/other', permission: [{ action: 'use', target: TARGET }] }), code: 'SOV_POLICY_UNSUPPORTED_PROFILE', path: '$.profile[0]' },
  { name: 'inheritFrom is not supported', document: policy({ inheritFrom: 'urn:policy:parent', permission: [{ action: 'use', target: TARGET }] }), code: 'SOV_POLICY_UNSUPPORTED_FEATURE' },
  { name: 'unknown ODRL action', document: policy({ permission: [{ action: 'odrl:raed', target: TARGET }] }), code: 'SOV_POLICY_UNKNOWN_ACTION' },
  { name: 'constraint without right operand', document: permissionWith({ leftOperand: 'count', operator: 'lteq' }), code: 'SOV_POLICY_MALFORMED' },
  { name: 'no policy type', document: { '@context': CONTEXT, uid: 'urn:policy:x', permission: [{ action: 'use', target: TARGET }] }, code: 'SOV_POLICY_MALFORMED' },
  { name: 'Agreement without assignee', document: { ...policy({ assigner: 'did:web:uk.example', permission: [{ action: 'use', target: TARGET }] }), '@type': 'Agreement' }, code: 'SOV_POLICY_MALFORMED' },
  { name: 'unknown conflict strategy', document: policy({ conflict: 'odrl:whatever', permission: [{ action: 'use', target: TARGET }] }), code: 'SOV_POLICY_MALFORMED' },
];

describe('malformed policies are refused with the reason', () => {
  it.each(cases)('$name', async ({ document, code, path }) => {
    const report = await decide(document as Json);
    expectDecision(report, 'prohibited', 'SOV_POLICY_NOT_EVALUABLE');
    expect(report.decision).toBe('deny');
    expect(report.reasons.map((reason) => reason.code)).toContain(code);
    if (path !== undefined) expect(report.reasons.find((reason) => reason.code === code)?.path).toBe(path);
    expect(report.rules).toEqual([]);
  });

  it('accepts the term neq and the odrl:neg IRI of the buggy upstream context alike', async () => {
    const expanded = [{
      '@type': ['http://www.w3.org/ns/odrl/2/Set'],
      '@id': 'urn:policy:expanded',
      'http://www.w3.org/ns/odrl/2/permission': [{
        'http://www.w3.org/ns/odrl/2/action': [{ '@id': 'http://www.w3.org/ns/odrl/2/use' }],
        'http://www.w3.org/ns/odrl/2/target': [{ '@id': TARGET }],
        'http://www.w3.org/ns/odrl/2/constraint': [{
          'http://www.w3.org/ns/odrl/2/leftOperand': [{ '@id': 'http://www.w3.org/ns/odrl/2/industry:' }],
          'http://www.w3.org/ns/odrl/2/operator': [{ '@id': 'http://www.w3.org/ns/odrl/2/neg' }],
          'http://www.w3.org/ns/odrl/2/rightOperand': [{ '@value': 'finance' }],
        }],
      }],
    }];
    const fromExpanded = await decide(expanded);
    const fromCompact = await decide(permissionWith(constraint('industry', 'neq', 'finance')));
    expectDecision(fromExpanded, 'permitted');
    expectDecision(fromCompact, 'permitted');
    expect(fromExpanded.rules[0]?.constraints[0]).toMatchObject({ leftOperand: 'industry', operator: 'neq' });
  });
});
