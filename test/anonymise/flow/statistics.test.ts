/**
 * Statistics-only release through the transform port (issue 8): an agreement whose pending
 * duty is `aggregate` (the statistics-only template) gets only a noisy aggregate table, in a
 * new container under a fresh key, with a signed report of ε spent and left that the consumer's
 * verifier accepts only untampered and for its own agreement and container; each transfer
 * spends ε from the agreement's budget in the SQL store, the one that would exceed it is
 * refused with SOV_ANON_BUDGET_EXHAUSTED and leaves nothing behind, and the spent ε survives
 * reopening the database (a provider restart).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cryptoUniform, privacyBudgetMigrations, sqlPrivacyBudget } from '../../../src/anonymise/index.js';
import { anonymisationReportVerifier, createAnonymisingTransform, type AnonymisingTransform, type SignedStatisticsReport } from '../../../src/anonymise-flow/index.js';
import { uuidGenerator } from '../../../src/clock/index.js';
import { ok, unwrap } from '../../../src/errors/index.js';
import { loadContractTemplates, type DutyReport } from '../../../src/policy/index.js';
import { openDatabase, type Database } from '../../../src/store/index.js';
import { decide } from '../../policy/helpers.js';
import { parseCsv } from '../independent-check.js';
import { agreement, consumerDecrypts, makeFlow, providerKeys, sha256, type Flow } from './flow-fixture.js';

const QUERY = { groupBy: [{ column: 'sex', values: ['F', 'M'] }], measure: { kind: 'mean', column: 'length_of_stay', bounds: [0, 60] } };

async function statisticsDuties(epsilon: string, budget: string): Promise<DutyReport[]> {
  const offer = unwrap(unwrap(loadContractTemplates()).instantiate('statistics-only', { epsilon, budget }, { uid: 'urn:policy:stats', target: 'urn:dataset:census-2026' }));
  const report = await decide(offer, { action: 'use' });
  expect(report.permittedOnceDutiesFulfilled).toBe(true);
  return report.duties.filter((duty) => duty.timing === 'pre-condition' && duty.state === 'pending');
}

async function database(path: string): Promise<Database> {
  const db = await openDatabase(path);
  await db.migrate(privacyBudgetMigrations);
  return db;
}

function statisticsTransform(flow: Flow, db: Database | undefined): AnonymisingTransform {
  return createAnonymisingTransform({
    kms: flow.provider.kms, store: flow.provider.store, crypto: flow.crypto, clock: flow.clock, ids: uuidGenerator, did: flow.provider.did,
    declarations: async () => ok(flow.declaration),
    ...(db === undefined ? {} : { statistics: { declarations: async () => ok(QUERY), budget: sqlPrivacyBudget(db), random: cryptoUniform() } }),
  });
}

async function setup() {
  const flow = await makeFlow();
  const dbPath = join(await mkdtemp(join(tmpdir(), 'sovc-stats-')), 'connector.db');
  const duties = await statisticsDuties('0.5', '1.0');
  return { flow, dbPath, duties, db: await database(dbPath) };
}

async function received(flow: Flow, transform: AnonymisingTransform, duties: DutyReport[], agreementId: string) {
  const result = unwrap(await transform({ dataset: flow.dataset, agreement: agreement(agreementId), duties }));
  const plaintext = unwrap(await consumerDecrypts(flow, result));
  return { result, report: result.report as SignedStatisticsReport, text: plaintext.toString('utf8'), plaintext };
}

describe('statistics-only transform', () => {
  it('sends only the noisy aggregate table, in a new container, with a signed report of ε spent and left', async () => {
    const { flow, duties, db } = await setup();
    const { result, report, text, plaintext } = await received(flow, statisticsTransform(flow, db), duties, 'urn:agreement:s');
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual(['sex', 'mean']);
    expect(rows.map((row) => row[0])).toEqual(['F', 'M']);
    for (const row of rows) expect(Number(row[1])).toBeGreaterThanOrEqual(0);
    const source = parseCsv(flow.input.toString('utf8')).slice(1);
    const identifiers = new Set(source.flatMap((row) => row.slice(0, 4)));
    for (const cell of rows.flat()) expect(identifiers.has(cell)).toBe(false);
    expect(result.containerId).not.toBe(flow.dataset.containerId);
    expect(result.dataKeyId).not.toBe(flow.dataset.dataKeyId);
    expect(report.epsilon).toEqual({ spent: 0.5, agreementSpent: 0.5, remaining: 0.5, budget: 1 });
    expect(report.noiseScale).toEqual({ count: 1 / 0.25, sum: 60 / 0.25 });
    expect(report.statistic).toEqual(QUERY.measure);
    expect(report.containerDigest).toBe(`blake2b-256:${result.containerDigest}`);
    expect(report.output.sha256).toBe(`sha256:${sha256(plaintext)}`);
    const verify = anonymisationReportVerifier(providerKeys(flow));
    const expected = { issuerDid: flow.provider.did, agreementId: 'urn:agreement:s', containerDigest: `blake2b-256:${result.containerDigest}` };
    expect(unwrap(await verify(report, expected))).toEqual({ plaintextSha256: sha256(plaintext) });
    const inflated = { ...report, epsilon: { ...report.epsilon, remaining: 1 } };
    expect(await verify(inflated, expected)).toMatchObject({ ok: false, code: 'SOV_ANON_REPORT_INVALID' });
    expect(await verify(report, { ...expected, agreementId: 'urn:agreement:other' })).toMatchObject({ ok: false, code: 'SOV_ANON_REPORT_INVALID' });
  });

  it('differs between transfers (fresh noise), refuses the one that would exceed the budget, and remembers the spend across a restart', async () => {
    const { flow, duties, db, dbPath } = await setup();
    const transform = statisticsTransform(flow, db);
    const first = await received(flow, transform, duties, 'urn:agreement:b');
    const second = await received(flow, transform, duties, 'urn:agreement:b');
    expect(second.text).not.toBe(first.text);
    expect(second.report.epsilon.remaining).toBe(0);
    const third = await transform({ dataset: flow.dataset, agreement: agreement('urn:agreement:b'), duties });
    expect(third.ok).toBe(false);
    if (third.ok) return;
    expect(third.code).toBe('SOV_ANON_BUDGET_EXHAUSTED');
    expect(third.detail).toContain('urn:agreement:b');
    await db.close();
    const reopened = await database(dbPath);
    const afterRestart = await statisticsTransform(flow, reopened)({ dataset: flow.dataset, agreement: agreement('urn:agreement:b'), duties });
    expect(afterRestart.ok ? 'released' : afterRestart.code).toBe('SOV_ANON_BUDGET_EXHAUSTED');
    expect(await sqlPrivacyBudget(reopened).spent('urn:agreement:b')).toBe(1);
    const other = await received(flow, statisticsTransform(flow, reopened), duties, 'urn:agreement:c');
    expect(other.report.epsilon.agreementSpent).toBe(0.5);
    await reopened.close();
  });

  it('fails closed without a budget ledger, with an ε the duty does not state, or with a declaration stating its own ε', async () => {
    const { flow, duties, db } = await setup();
    const unwired = await statisticsTransform(flow, undefined)({ dataset: flow.dataset, agreement: agreement('urn:agreement:d'), duties });
    expect(unwired.ok ? 'released' : unwired.code).toBe('SOV_ANON_DUTY_UNSUPPORTED');
    const bare = duties.map((duty) => ({ ...duty, parameters: duty.parameters.filter((p) => p.name !== 'sov:epsilonBudget') }));
    const noBudget = await statisticsTransform(flow, db)({ dataset: flow.dataset, agreement: agreement('urn:agreement:d'), duties: bare });
    expect(noBudget.ok ? 'released' : noBudget.code).toBe('SOV_ANON_DUTY_UNSUPPORTED');
    const ownEpsilon = createAnonymisingTransform({
      kms: flow.provider.kms, store: flow.provider.store, crypto: flow.crypto, clock: flow.clock, ids: uuidGenerator, did: flow.provider.did,
      declarations: async () => ok(flow.declaration),
      statistics: { declarations: async () => ok({ ...QUERY, epsilon: 5 }), budget: sqlPrivacyBudget(db), random: cryptoUniform() },
    });
    const refused = await ownEpsilon({ dataset: flow.dataset, agreement: agreement('urn:agreement:d'), duties });
    expect(refused.ok ? 'released' : refused.code).toBe('SOV_ANON_QUERY_INVALID');
    expect(await sqlPrivacyBudget(db).spent('urn:agreement:d')).toBe(0);
  });
});
