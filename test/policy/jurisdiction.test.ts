/**
 * Jurisdiction profiles on top of the offer's policy (issue 4): classification ceilings across
 * the four partners' own schemes, SECRET and above refused outright, residency, adequacy of the
 * recipient's data-protection regime, the stricter of policy and profile wins, and a fifth
 * partner added by adding a folder.
 */
import { cpSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CONNECTORS_DIR,
  evaluateWithJurisdiction,
  loadJurisdictionProfiles,
  readJsonFile,
  type JurisdictionProfiles,
  type PolicyWorld,
} from '../../src/policy/index.js';
import { CONSUMER, SOV, TARGET, baseRequest, compile, constraint, permissionWith, policy } from './helpers.js';

function profilesFrom(dir: string): JurisdictionProfiles {
  const loaded = loadJurisdictionProfiles(dir);
  if (!loaded.ok) throw new Error(loaded.detail);
  return loaded.value;
}

const coalition = profilesFrom(DEFAULT_CONNECTORS_DIR);
const openPolicy = policy({ permission: [{ action: 'use', target: TARGET }] });

async function decideAcross(provider: string, recipient: string, world: Partial<PolicyWorld>, document = openPolicy, profiles = coalition) {
  return evaluateWithJurisdiction({
    policy: await compile(document),
    request: { ...baseRequest(), assignee: { id: CONSUMER, nation: recipient } },
    world: { now: '2026-03-01T12:00:00Z', uses: 0, personalData: false, ...world },
    profiles,
    provider,
  });
}

type Row = [provider: string, recipient: string, classification: string | number | undefined, code: string | undefined, extra?: Partial<PolicyWorld>];

const rows: Row[] = [
  ['uk', 'ca', 'OFFICIAL', undefined],
  ['uk', 'ca', 'OFFICIAL-SENSITIVE', undefined],
  ['uk', 'au', 'official sensitive', undefined],
  ['uk', 'eu/de', 'OFFICIAL', undefined],
  ['uk', 'ca', 'SECRET', 'SOV_POLICY_CLASSIFICATION_REFUSED'],
  ['uk', 'ca', 'TOP SECRET', 'SOV_POLICY_CLASSIFICATION_REFUSED'],
  ['uk', 'uk', 'SECRET', 'SOV_POLICY_CLASSIFICATION_REFUSED'],
  ['uk', 'uk', 'OFFICIAL-SENSITIVE', undefined],
  ['uk', 'jp', 'OFFICIAL', 'SOV_POLICY_JURISDICTION_UNKNOWN'],
  ['uk', 'ca', 'RESTRICTED', 'SOV_POLICY_CLASSIFICATION_UNKNOWN'],
  ['uk', 'ca', undefined, 'SOV_POLICY_CLASSIFICATION_UNKNOWN'],
  ['uk', 'ca', 'sov:classification/official', undefined],
  ['uk', 'ca', 4, 'SOV_POLICY_CLASSIFICATION_REFUSED'],
  ['eu', 'uk', 'RESTREINT UE/EU RESTRICTED', undefined],
  ['eu', 'uk', 'VS-NUR FÜR DEN DIENSTGEBRAUCH', undefined],
  ['eu', 'uk', 'VS-VERTRAULICH', 'SOV_POLICY_EXPORT_CEILING'],
  ['eu', 'au', 'RESTREINT UE/EU RESTRICTED', 'SOV_POLICY_EXPORT_CEILING'],
  ['eu', 'au', 'LIMITED', undefined],
  ['eu', 'ca', 'GEHEIM', 'SOV_POLICY_CLASSIFICATION_REFUSED'],
  ['eu', 'ca', 'TRÈS SECRET UE/EU TOP SECRET', 'SOV_POLICY_CLASSIFICATION_REFUSED'],
  ['ca', 'uk', 'PROTECTED B', undefined],
  ['ca', 'eu', 'PROTECTED B', 'SOV_POLICY_EXPORT_CEILING'],
  ['ca', 'eu', 'Protected A', undefined],
  ['ca', 'au', 'PROTECTED C', 'SOV_POLICY_EXPORT_CEILING'],
  ['ca', 'au', 'CONFIDENTIAL', 'SOV_POLICY_EXPORT_CEILING'],
  ['ca', 'uk', 'SECRET', 'SOV_POLICY_CLASSIFICATION_REFUSED'],
  ['au', 'uk', 'PROTECTED', undefined],
  ['au', 'ca', 'OFFICIAL: Sensitive', undefined],
  ['au', 'eu', 'PROTECTED', 'SOV_POLICY_EXPORT_CEILING', { metadataResidency: ['au'] }],
  ['au', 'eu', 'OFFICIAL:Sensitive', undefined, { metadataResidency: ['au'] }],
  ['au', 'ca', 'SECRET', 'SOV_POLICY_CLASSIFICATION_REFUSED'],
  ['uk', 'ca', 'OFFICIAL', 'SOV_POLICY_RESIDENCY', { residency: ['ca', 'jp'] }],
  ['au', 'eu', 'OFFICIAL', 'SOV_POLICY_RESIDENCY', { metadataResidency: ['eu'] }],
  ['eu', 'au', 'LIMITED', 'SOV_POLICY_REGIME_INADEQUATE', { personalData: true }],
  ['eu', 'au', 'LIMITED', 'SOV_POLICY_REGIME_INADEQUATE', { personalData: undefined }],
  ['uk', 'ca', 'OFFICIAL', undefined, { personalData: true }],
];

describe('jurisdiction ceilings across the four profiles', () => {
  it.each(rows)('%s → %s at %s: %s', async (provider, recipient, classification, code, extra = {}) => {
    const report = await decideAcross(provider, recipient, { classification, ...extra });
    expect(report.jurisdiction?.provider).toBe(provider);
    if (code === undefined) {
      expect(report.outcome).toBe('permitted');
      expect(report.jurisdiction?.outcome).toBe('permitted');
    } else {
      expect(report.outcome).toBe('prohibited');
      expect(report.reasons[0]?.code).toBe(code);
      expect(report.jurisdiction?.checks.find((item) => item.code === code)?.state).not.toBe('satisfied');
    }
  });

  it('shows the legal basis and the not-legal-advice disclaimer in the report', async () => {
    const report = await decideAcross('ca', 'uk', { classification: 'PROTECTED A' });
    expect(report.jurisdiction?.disclaimer).toMatch(/not legal advice/);
    expect(report.jurisdiction?.legalBasis).toMatch(/Privacy Act/);
    expect(report.explanation).toContain('Jurisdiction ca: permitted');
  });
});

describe('the stricter of policy and profile wins', () => {
  it('profile refusal overrides a permitting policy', async () => {
    const report = await decideAcross('uk', 'ca', { classification: 'SECRET' });
    expect(report.rules[0]?.state).toBe('active');
    expect(report.outcome).toBe('prohibited');
  });

  it('policy refusal stands when the profile permits', async () => {
    const strict = permissionWith(constraint('recipientJurisdiction', 'eq', { '@id': `${SOV}place/au` }));
    const report = await decideAcross('uk', 'ca', { classification: 'OFFICIAL' }, strict);
    expect(report.jurisdiction?.outcome).toBe('permitted');
    expect(report.outcome).toBe('not-applicable');
    expect(report.reasons[0]?.code).toBe('SOV_POLICY_CONSTRAINT_UNSATISFIED');
  });

  it('policy constraints on sov:classification see the national label mapped to the common scale', async () => {
    const upToOfficial = permissionWith(constraint('classification', 'lteq', { '@id': `${SOV}classification/official` }));
    const report = await decideAcross('ca', 'uk', { classification: 'PROTECTED B' }, upToOfficial);
    expect(report.outcome).toBe('not-applicable');
    expect(report.rules[0]?.constraints[0]).toMatchObject({ found: 'sov:classification/official-sensitive', state: 'unsatisfied' });
  });
});

describe('adding a partner is adding a folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sov-profiles-'));
  cpSync(DEFAULT_CONNECTORS_DIR, dir, { recursive: true, filter: (source) => !source.includes('/data') });
  cpSync(new URL('../fixtures/policy/jp', import.meta.url), join(dir, 'jp'), { recursive: true });
  const five = profilesFrom(dir);

  it('loads five profiles', () => {
    expect([...five.byPartner.keys()].sort()).toEqual(['au', 'ca', 'eu', 'jp', 'uk']);
  });

  it.each([
    ['jp', 'uk', 'KIMITSU SEI 2', undefined, ['jp']],
    ['jp', 'uk', 'KIMITSU SEI 2', 'SOV_POLICY_RESIDENCY', ['uk']],
    ['jp', 'ca', 'KIMITSU SEI 2', 'SOV_POLICY_EXPORT_CEILING', ['jp']],
    ['jp', 'uk', 'GOKUHI', 'SOV_POLICY_CLASSIFICATION_REFUSED', ['jp']],
    ['uk', 'jp', 'OFFICIAL', 'SOV_POLICY_EXPORT_CEILING', undefined],
  ])('%s → %s at %s: %s', async (provider, recipient, classification, code, metadataResidency) => {
    const report = await decideAcross(provider, recipient, { classification, metadataResidency }, openPolicy, five);
    expect(report.outcome).toBe(code === undefined ? 'permitted' : 'prohibited');
    expect(report.reasons[0]?.code).toBe(code);
  });

  it('refuses a profile that would let SECRET leave, or that lacks the disclaimer', () => {
    const uk = readJsonFile(join(DEFAULT_CONNECTORS_DIR, 'uk', 'jurisdiction.json'));
    if (!uk.ok) throw new Error(uk.detail);
    for (const [name, change] of [
      ['secret', { export: { maxLevel: 4, releasableTo: [] } }],
      ['disclaimer', { disclaimer: 'Reviewed.' }],
    ] as const) {
      const bad = mkdtempSync(join(tmpdir(), `sov-bad-${name}-`));
      mkdirSync(join(bad, 'uk'));
      writeFileSync(join(bad, 'uk', 'jurisdiction.json'), JSON.stringify({ ...(uk.value as object), ...change }));
      const loaded = loadJurisdictionProfiles(bad);
      expect(loaded.ok).toBe(false);
      if (!loaded.ok) expect(loaded.code).toBe('SOV_POLICY_PROFILE_INVALID');
    }
  });
});
