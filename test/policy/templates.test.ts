/**
 * Contract templates (issue 4): every template instantiates with its example parameters and
 * passes `sovc policy check`; parameters are validated; and each template decides the way its
 * one-line description promises.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/cli/commands/policy.js';
import { loadContractTemplates, type TemplateCatalogue } from '../../src/policy/index.js';
import { CONSUMER, TARGET, decide, expectDecision, type Json } from './helpers.js';
import type { PolicyRequest, PolicyWorld } from '../../src/policy/index.js';

const loaded = loadContractTemplates();
if (!loaded.ok) throw new Error(loaded.detail);
const catalogue: TemplateCatalogue = loaded.value;
const dir = mkdtempSync(join(tmpdir(), 'sov-templates-'));

function instantiate(name: string, params?: Record<string, unknown>): Json {
  const template = catalogue.list().find((item) => item.name === name);
  const result = catalogue.instantiate(name, params ?? template?.example ?? {}, { uid: `urn:policy:${name}`, target: TARGET });
  if (!result.ok) throw new Error(result.detail);
  return result.value;
}

describe('contract templates', () => {
  it('offers the eight templates with a one-line description each', () => {
    const names = catalogue.list().map((item) => item.name);
    expect(names).toEqual(['coalition-open', 'research-anonymised', 'time-limited', 'count-limited', 'named-nations', 'official-sensitive-coalition', 'internal-only', 'statistics-only']);
    for (const item of catalogue.list()) expect(item.description).toMatch(/^[^\n]{20,200}$/);
  });

  it.each(catalogue.list().map((item) => item.name))('%s passes sovc policy check', async (name) => {
    const file = join(dir, `${name}.jsonld`);
    writeFileSync(file, JSON.stringify(instantiate(name)));
    const lines: string[] = [];
    expect(await runCheck(file, {}, { out: (text) => lines.push(text) })).toBe(0);
    expect(lines.at(-1)).toContain('valid ODRL policy');
  });

  it.each([
    ['time-limited', { days: 0 }, 'days'],
    ['time-limited', { days: 30, extra: 1 }, 'extra'],
    ['named-nations', { nations: ['Canada'] }, 'nations'],
    ['research-anonymised', { k: 10 }, 'l'],
  ])('%s rejects parameters %j', (name, params, mention) => {
    const result = catalogue.instantiate(name, params);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe('SOV_POLICY_TEMPLATE_PARAMS');
      expect(result.detail).toContain(mention);
    }
  });

  it('refuses an unknown template name', () => {
    const result = catalogue.instantiate('everything-goes', {});
    expect(result.ok ? undefined : result.code).toBe('SOV_POLICY_TEMPLATE_UNKNOWN');
  });
});

const member = { id: CONSUMER, nation: 'ca', memberships: ['sov:party/coalition'] };
const outsider = { id: 'did:web:other.example', nation: 'ca' };

type Row = [template: string, params: Record<string, unknown> | undefined, request: Partial<PolicyRequest>, world: Partial<PolicyWorld>, outcome: string, code?: string];

const rows: Row[] = [
  ['coalition-open', undefined, { assignee: member }, {}, 'permitted'],
  ['coalition-open', undefined, { assignee: outsider }, {}, 'not-applicable', 'SOV_POLICY_NO_PERMISSION'],
  ['research-anonymised', undefined, { assignee: member, purpose: 'sov:purpose/research/health' }, {}, 'not-applicable', 'SOV_POLICY_DUTY_UNFULFILLED'],
  ['research-anonymised', undefined, { assignee: member, purpose: 'sov:purpose/research/health' }, { dutiesFulfilled: ['anonymize'] }, 'permitted'],
  ['research-anonymised', undefined, { assignee: member, purpose: 'sov:purpose/commercial' }, { dutiesFulfilled: ['anonymize'] }, 'not-applicable', 'SOV_POLICY_CONSTRAINT_UNSATISFIED'],
  ['time-limited', { days: 30 }, { assignee: member }, { agreementTime: '2026-01-30T12:00:00Z' }, 'permitted'],
  ['time-limited', { days: 30 }, { assignee: member }, { agreementTime: '2026-01-30T11:59:59.999Z' }, 'not-applicable', 'SOV_POLICY_CONSTRAINT_UNSATISFIED'],
  ['count-limited', { uses: 3 }, { assignee: member }, { uses: 2 }, 'permitted'],
  ['count-limited', { uses: 3 }, { assignee: member }, { uses: 3 }, 'not-applicable', 'SOV_POLICY_CONSTRAINT_UNSATISFIED'],
  ['named-nations', { nations: ['uk', 'ca'] }, { assignee: member }, {}, 'permitted'],
  ['named-nations', { nations: ['uk', 'ca'] }, { assignee: member }, { residency: ['ca', 'au'] }, 'not-applicable', 'SOV_POLICY_CONSTRAINT_UNSATISFIED'],
  ['named-nations', { nations: ['eu'] }, { assignee: { ...member, nation: 'eu/fr' } }, {}, 'permitted'],
  ['official-sensitive-coalition', undefined, { assignee: member }, { classification: 'sov:classification/official-sensitive' }, 'permitted'],
  ['official-sensitive-coalition', undefined, { assignee: member }, { classification: 'sov:classification/protected' }, 'not-applicable', 'SOV_POLICY_CONSTRAINT_UNSATISFIED'],
  ['official-sensitive-coalition', undefined, { assignee: member, action: 'distribute' }, { classification: 1 }, 'prohibited', 'SOV_POLICY_PROHIBITED'],
  ['official-sensitive-coalition', undefined, { assignee: member, action: 'sell' }, { classification: 1 }, 'prohibited', 'SOV_POLICY_PROHIBITED'],
  ['internal-only', { nation: 'ca' }, { assignee: member }, {}, 'permitted'],
  ['internal-only', { nation: 'uk' }, { assignee: member }, {}, 'not-applicable', 'SOV_POLICY_CONSTRAINT_UNSATISFIED'],
  ['internal-only', { nation: 'ca' }, { assignee: member, action: 'distribute' }, {}, 'prohibited', 'SOV_POLICY_PROHIBITED'],
];

describe('templates decide as described', () => {
  it.each(rows)('%s %j', async (template, params, request, world, outcome, code) => {
    const report = await decide(instantiate(template, params), request, { now: '2026-03-01T12:00:00Z', uses: 0, ...world });
    expectDecision(report, outcome as 'permitted', code);
  });

  it('carries k, l and the suppression limit as duty parameters', async () => {
    const report = await decide(instantiate('research-anonymised', { k: 15, l: 4, maxSuppressionPercent: 2 }), { assignee: member });
    expect(report.duties[0]?.parameters).toEqual([
      { name: 'sov:kAnonymity', operator: 'gteq', value: 15 },
      { name: 'sov:lDiversity', operator: 'gteq', value: 4 },
      { name: 'sov:maxSuppression', operator: 'lteq', value: 2 },
    ]);
  });
});
