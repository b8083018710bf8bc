/**
 * Statistics-only offers end to end (issue 8) between two whole connectors over loopback: the
 * UK offers hospital episodes under the `statistics-only` template (ε 0.5 per transfer, budget
 * 1.0 per agreement); the EU negotiates once and pulls. What the EU decrypts is only the noisy
 * aggregate table (no row-level value of the source), fresh noise each transfer, the signed
 * statistics report verifies at the consumer, the third transfer under the agreement is refused
 * with SOV_ANON_BUDGET_EXHAUSTED (the ledger is in the provider's store; reopening it is
 * tested in test/anonymise/flow/statistics.test.ts).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignedStatisticsReport } from '../../src/anonymise-flow/index.js';
import { unwrap } from '../../src/errors/index.js';
import type { Offering } from '../../src/offerings/index.js';
import { parseCsv } from '../anonymise/independent-check.js';
import { UK_DATA } from '../anonymise/fixtures.js';
import { collect } from '../dataplane/support.js';
import { agree, dataPlaneFederation, startTransfer, type DataPlaneFederation } from '../dataplane/transfer/federation.js';

const input = readFileSync(UK_DATA);
const QUERY = { groupBy: [{ column: 'sex', values: ['F', 'M'] }], measure: { kind: 'mean', column: 'length_of_stay', bounds: [0, 60] } };
let federation: DataPlaneFederation;

beforeAll(async () => {
  federation = await dataPlaneFederation();
}, 60_000);
afterAll(() => federation.stopAll());

async function statisticsOffering(): Promise<Offering> {
  const dir = mkdtempSync(join(tmpdir(), 'sovc-stats-e2e-'));
  writeFileSync(join(dir, 'statistics.json'), JSON.stringify(QUERY));
  const offering = unwrap(
    await federation.uk.connector.dsp.offerings.create({
      title: 'Hospital episodes (statistics only)',
      policy: { template: 'statistics-only', params: { epsilon: '0.5', budget: '1.0' } },
      classification: 'OFFICIAL',
      personalData: true,
      dataSource: { type: 'file', reference: 'data/hospital-episodes.csv' },
      anonymisation: { declarationRef: join(dir, 'statistics.json') },
      formats: ['HttpData-PULL'],
    }),
  );
  unwrap(await federation.uk.connector.dataPlane.addDataset({ source: (async function* () { yield input; })(), offeringId: offering.id, plaintextLength: input.length }));
  return offering;
}

async function pull(agreementId: string) {
  const { uk, eu } = federation;
  const transfer = await startTransfer(federation, agreementId);
  expect(transfer.state).toBe('STARTED');
  const received = unwrap(await eu.connector.dataPlane.receive(transfer.id));
  await federation.settle();
  const text = (await collect(unwrap(await eu.connector.dataPlane.openDataset(received.id)))).toString('utf8');
  const outbound = await uk.connector.dataPlane.provider.outbound(transfer.providerPid as string);
  return { text, report: outbound?.transformReport as SignedStatisticsReport };
}

async function refusal(agreementId: string): Promise<string> {
  const transfer = await startTransfer(federation, agreementId);
  await federation.settle();
  const seen = await federation.eu.connector.dsp.transfers.get(transfer.id);
  expect(seen?.state).toBe('TERMINATED');
  return (seen?.termination?.reason ?? []).join(' ');
}

describe('statistics-only transfer between two connectors', () => {
  it('releases only noisy aggregates, spends ε per transfer, refuses the transfer that would exceed the budget', async () => {
    const offering = await statisticsOffering();
    const agreementId = await agree(federation, offering);
    const first = await pull(agreementId);
    const [header, ...rows] = parseCsv(first.text);
    expect(header).toEqual(['sex', 'mean']);
    expect(rows.map((row) => row[0])).toEqual(['F', 'M']);
    const [sourceHeader, ...source] = parseCsv(input.toString('utf8'));
    for (const row of source.slice(0, 300)) for (const name of ['episode_id', 'patient_id', 'name', 'nhs_number']) expect(first.text.includes(row[sourceHeader!.indexOf(name)]!)).toBe(false);
    expect(first.report.epsilon).toEqual({ spent: 0.5, agreementSpent: 0.5, remaining: 0.5, budget: 1 });

    const second = await pull(agreementId);
    expect(second.text).not.toBe(first.text);
    expect(second.report.epsilon.remaining).toBe(0);
    expect(await refusal(agreementId)).toContain('SOV_ANON_BUDGET_EXHAUSTED');
  }, 90_000);
});
