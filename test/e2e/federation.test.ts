/**
 * The four-nation federation end to end (issue 9): `startFederation` in-process on free
 * loopback ports with temporary data folders, sample offerings seeded by each nation's admin,
 * the demo's scenarios driven through the partners' management APIs over HTTP (the code
 * `sovc demo` runs), then the whole federation stopped and started again on the same folders.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unwrap } from '../../src/errors/index.js';
import { startFederation, type Federation } from '../../src/federation/index.js';
import { loadSampleOfferings } from '../../src/federation/sample-offerings.js';
import { partnerApi, runFederationScenarios, runExpiryScenario, SAMPLES, type ScenarioOutcome } from '../../src/federation/demo/index.js';
import { createLogger } from '../../src/http/index.js';
import { MINIMUM_KDF_PARAMS } from '../../src/kms/index.js';
import { freePort } from '../support/partners.js';

const PARTNERS = ['au', 'ca', 'eu', 'uk'];
const silent = createLogger({ level: 'silent' });
const root = mkdtempSync(join(tmpdir(), 'sovc-federation-'));
const outDir = join(root, 'received');
let overrides: Record<string, { port: number; registrar: { port: number }; dataDir: string; logLevel: 'silent' }>;
let federation: Federation;

async function start(partners = PARTNERS, seed = true): Promise<Federation> {
  return unwrap(await startFederation({ partners, logger: silent, env: {}, kdf: MINIMUM_KDF_PARAMS, overrides, seed, connectorOptions: { sqliteSynchronous: 'normal' } }));
}

const member = (code: string) => federation.members.find((m) => m.code === code)!;
const apis = () => new Map(federation.members.map((m) => [m.code, partnerApi({ code: m.code, url: m.url, adminToken: m.secrets.adminToken.reveal() })]));
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
  overrides = {};
  for (const code of PARTNERS) overrides[code] = { port: await freePort(), registrar: { port: await freePort() }, dataDir: join(root, code), logLevel: 'silent' };
  // A first run killed after the UK admin registered one offering, before its dataset went in.
  const killed = await start(['uk'], false);
  const uk = killed.members[0]!;
  const first = unwrap(loadSampleOfferings(uk.config)).samples[0]!;
  unwrap(await uk.connector.dsp.offerings.create({ id: first.id, title: first.title, policy: first.policy, classification: first.classification, personalData: true, dataSource: { type: 'file', reference: first.data } }));
  await killed.stop();
  federation = await start();
}, 120_000);
afterAll(() => federation?.stop());

describe('the four-nation federation', () => {
  it('seeds every sample offering once, finishing what a killed first run left', () => {
    const uk = member('uk').seeded;
    expect(uk[0]).toEqual({ id: SAMPLES.ukOfficial, offering: 'kept', dataset: 'ingested' });
    const rest = federation.members.flatMap((m) => m.seeded).filter((s) => s.id !== SAMPLES.ukOfficial);
    expect(rest.length).toBeGreaterThan(4);
    expect(rest.every((s) => s.offering === 'created' && s.dataset === 'ingested')).toBe(true);
  });

  let outcomes: ScenarioOutcome[];
  it('runs the permitted scenarios to FINALIZED and COMPLETED with the right file', async () => {
    outcomes = await runFederationScenarios({ apis: apis(), outDir });
    const [a, b] = outcomes;
    expect(a).toMatchObject({ key: 'a', passed: true, negotiation: { state: 'FINALIZED' }, transfer: { state: 'COMPLETED' } });
    const ukCsv = readFileSync(join('connectors', 'uk', 'data', 'hospital-episodes.csv'));
    expect(readFileSync(a!.transfer!.file!)).toEqual(ukCsv);
    expect(a!.transfer!.sha256).toBe(sha256(ukCsv));

    expect(b).toMatchObject({ key: 'b', passed: true, negotiation: { state: 'FINALIZED' }, transfer: { state: 'COMPLETED' } });
    const released = readFileSync(b!.transfer!.file!, 'utf8');
    const header = released.split('\n')[0]!;
    expect(header).not.toContain('medicare_number');
    expect(header).not.toContain('name');
    expect(b!.anonymisation!.k).toBeGreaterThanOrEqual(5);
    expect(b!.anonymisation!.l).toBeGreaterThanOrEqual(2);
    expect(b!.anonymisation!.rowsOut).toBe(released.trim().split('\n').length - 1);
    expect(b!.anonymisation!.issuer).toBe(member('au').connector.did);
  }, 120_000);

  it('refuses the scenarios above the export ceiling and outside the named nations, with the provider reason', () => {
    const [, , c, d] = outcomes;
    expect(c).toMatchObject({ key: 'c', passed: true, negotiation: { state: 'TERMINATED' }, decision: { permitted: false } });
    expect(c!.decision!.reasons.map((r) => r.code)).toContain('SOV_POLICY_EXPORT_CEILING');
    expect(d).toMatchObject({ key: 'd', passed: true, negotiation: { state: 'TERMINATED' }, decision: { permitted: false } });
    expect(d!.decision!.reasons.some((r) => r.code === 'SOV_POLICY_CONSTRAINT_UNSATISFIED' && /recipientJurisdiction/.test(JSON.stringify(r)))).toBe(true);
  });

  it('pushes a UK dataset into the sink the Canadian connector opened, byte for byte', async () => {
    const f = outcomes[4];
    expect(f).toMatchObject({ key: 'f', passed: true, consumer: 'ca', provider: 'uk', negotiation: { state: 'FINALIZED' }, transfer: { state: 'COMPLETED' } });
    const requested = await apis().get('ca')!.get<{ format?: string }>(`/transfers/${encodeURIComponent(f!.transfer!.id!)}`);
    expect(requested.ok && requested.value.format).toBe('HttpData-PUSH');
    expect(readFileSync(f!.transfer!.file!)).toEqual(readFileSync(join('connectors', 'uk', 'data', 'hospital-episodes.csv')));
  });

  it('refuses a time-limited agreement after expiry on a simulated clock', async () => {
    const e = await runExpiryScenario({ logger: silent, kdf: MINIMUM_KDF_PARAMS, outDir });
    expect(e).toMatchObject({ key: 'e', passed: true, negotiation: { state: 'FINALIZED' }, transfer: { state: 'COMPLETED' } });
    expect(e.afterExpiry?.state).not.toBe('COMPLETED');
    expect(e.afterExpiry?.state).toBe('TERMINATED');
    expect(JSON.stringify(e.afterExpiry?.refusal)).toMatch(/SOV_TRANSFER_POLICY_REFUSED.*elapsedTime lteq/);
  }, 120_000);

  it('keeps identities, agreements and datasets across a restart of the whole federation, seeding nothing twice', async () => {
    const before = new Map<string, { did: string; keys: string[]; agreements: number; datasets: string[]; offerings: number }>();
    for (const m of federation.members) {
      const negotiations = unwrap(await m.connector.dsp.negotiations.list({ state: 'FINALIZED' })).items.length;
      before.set(m.code, {
        did: m.connector.did,
        keys: m.connector.kms.listKeys().map((k) => k.keyId).sort(),
        agreements: negotiations,
        datasets: (await m.connector.dataPlane.datasets.list()).map((d) => d.id).sort(),
        offerings: unwrap(await m.connector.dsp.offerings.list({ limit: 500 })).items.length,
      });
    }
    const received = outcomes[0]!.transfer!;
    // As a data folder seeded before push existed: this sample offers pull only until the next start.
    const ukBefore = federation.members.find((m) => m.code === 'uk')!.connector;
    const older = (await ukBefore.dsp.offerings.get(SAMPLES.ukOfficial))!;
    unwrap(await ukBefore.dsp.offerings.update(older.id, { formats: ['HttpData-PULL'], expectedVersion: older.version }));
    await federation.stop();
    federation = await start();
    const ukAfter = federation.members.find((m) => m.code === 'uk')!.connector;
    expect((await ukAfter.dsp.offerings.get(SAMPLES.ukOfficial))?.formats).toEqual(['HttpData-PULL', 'HttpData-PUSH']);
    for (const m of federation.members) {
      expect(m.seeded.every((s) => s.offering === 'kept' && s.dataset === 'kept')).toBe(true);
      const was = before.get(m.code)!;
      expect(m.connector.did).toBe(was.did);
      expect(m.connector.kms.listKeys().map((k) => k.keyId).sort()).toEqual(was.keys);
      expect(unwrap(await m.connector.dsp.negotiations.list({ state: 'FINALIZED' })).items.length).toBe(was.agreements);
      expect((await m.connector.dataPlane.datasets.list()).map((d) => d.id).sort()).toEqual(was.datasets);
      expect(unwrap(await m.connector.dsp.offerings.list({ limit: 500 })).items.length).toBe(was.offerings);
    }
    expect(before.get('eu')!.agreements).toBeGreaterThan(0);
    const content = await apis().get('eu')!.download(`/datasets/${encodeURIComponent(received.dataset!.id)}/content`);
    expect(content.ok && sha256(content.value)).toBe(received.sha256);
  }, 120_000);
});
