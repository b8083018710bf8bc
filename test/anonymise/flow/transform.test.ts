/**
 * The anonymising transform with real kms, stores and containers (issue 8 "Into the flow"):
 * what the CONSUMER decrypts is checked from scratch (k and l recomputed independently, no
 * direct identifier in any form), the signed report verifies and describes those bytes,
 * pseudonyms follow the agreement, the duty only ever tightens the declared model, and a
 * model that cannot be met refuses with its reason and leaves no container or key behind.
 */
import { describe, expect, it } from 'vitest';
import { base32 } from '../../../src/anonymise/index.js';
import { checkReportBinding, verifyAnonymisationReport, type SignedAnonymisationReport } from '../../../src/anonymise-flow/index.js';
import { unwrap } from '../../../src/errors/index.js';
import { measure, parseCsv } from '../independent-check.js';
import { agreement, anonymiseDuties, consumerDecrypts, makeFlow, providerKeys, sha256, type Flow } from './flow-fixture.js';

const QUASI = ['age', 'sex', 'ethnicity', 'postcode_district', 'admission_date'];
const IDENTIFIERS = ['episode_id', 'patient_id', 'name', 'nhs_number'];

async function transferred(flow: Flow, agreementId: string, params = { k: 5, l: 2, maxSuppressionPercent: 2 }) {
  const result = unwrap(await flow.transform({ dataset: flow.dataset, agreement: agreement(agreementId), duties: await anonymiseDuties(params) }));
  const plaintext = unwrap(await consumerDecrypts(flow, result));
  return { result, report: result.report as SignedAnonymisationReport, text: plaintext.toString('utf8'), plaintext };
}

function column(text: string, name: string): string[] {
  const [header, ...rows] = parseCsv(text);
  const at = header!.indexOf(name);
  return rows.map((row) => row[at] as string);
}

describe('anonymising transform: what the consumer decrypts', () => {
  it('has the k and l the signed report states, recomputed from scratch, at least the model asked for', async () => {
    const flow = await makeFlow();
    const { result, report, text, plaintext } = await transferred(flow, 'urn:agreement:a');
    const measured = measure(text, QUASI, ['diagnosis']);
    expect(measured.k).toBe(report.report.achieved.k);
    expect(measured.l['diagnosis']).toBe(report.report.achieved.l);
    expect(measured.rows).toBe(report.report.rows.out);
    expect(measured.classes).toBe(report.report.achieved.equivalenceClasses);
    expect(measured.k).toBeGreaterThanOrEqual(5);
    expect(measured.l['diagnosis']).toBeGreaterThanOrEqual(2);
    expect(report.report.rows.suppressed / report.report.rows.in).toBeLessThanOrEqual(0.02);
    expect(result.containerId).not.toBe(flow.dataset.containerId);
    expect(result.dataKeyId).not.toBe(flow.dataset.dataKeyId);
    const verified = unwrap(await verifyAnonymisationReport(report, { signingKey: providerKeys(flow), expectedIssuer: flow.provider.did }));
    expect(checkReportBinding(verified, { agreementId: 'urn:agreement:a', containerDigest: `blake2b-256:${result.containerDigest}`, plaintextSha256: sha256(plaintext) })).toEqual({ ok: true, value: undefined });
  });

  it('holds no direct identifier in any form: not as is, not hashed without the key', async () => {
    const flow = await makeFlow();
    const { text } = await transferred(flow, 'urn:agreement:a');
    const [inputHeader, ...inputRows] = parseCsv(flow.input.toString('utf8'));
    const [outputHeader] = parseCsv(text);
    expect(outputHeader).not.toContain('name');
    expect(outputHeader).not.toContain('nhs_number');
    const lower = text.toLowerCase();
    for (const name of IDENTIFIERS) {
      const at = inputHeader!.indexOf(name);
      for (const row of inputRows.slice(0, 200)) {
        const value = row[at] as string;
        const digest = Buffer.from(sha256(value), 'hex');
        for (const form of [value, value.toLowerCase(), sha256(value), base32(digest).slice(0, 16), digest.toString('base64url').slice(0, 16)]) {
          expect(lower.includes(form.toLowerCase()), `${name} value ${value} as ${form}`).toBe(false);
        }
      }
    }
  });

  it('keeps pseudonyms stable within one agreement and unlinkable across two', async () => {
    const flow = await makeFlow();
    const first = await transferred(flow, 'urn:agreement:a');
    const again = await transferred(flow, 'urn:agreement:a');
    const other = await transferred(flow, 'urn:agreement:b');
    expect(again.result.containerId).not.toBe(first.result.containerId);
    expect(column(again.text, 'patient_id')).toEqual(column(first.text, 'patient_id'));
    expect(column(again.text, 'episode_id')).toEqual(column(first.text, 'episode_id'));
    // The same rows are released under both agreements (same data, same model): only the pseudonyms differ.
    expect(column(other.text, 'diagnosis')).toEqual(column(first.text, 'diagnosis'));
    const underA = new Set(column(first.text, 'patient_id'));
    const underB = new Set(column(other.text, 'patient_id'));
    expect(underB.size).toBe(underA.size);
    expect([...underB].filter((p) => underA.has(p))).toEqual([]);
    // Within one agreement a patient seen in several episodes keeps one pseudonym.
    expect(underA.size).toBeLessThan(column(first.text, 'patient_id').length);
  });
});

describe('anonymising transform: the duty tightens, never weakens', () => {
  it('uses the declaration k and suppression limit when the duty asks for less', async () => {
    const flow = await makeFlow();
    const { report, text } = await transferred(flow, 'urn:agreement:weak', { k: 2, l: 1, maxSuppressionPercent: 50 });
    expect(report.models.requested).toEqual({ k: 2, l: 1, maxSuppression: 0.5 });
    expect(report.models.applied).toEqual({ k: 5, l: 2, maxSuppression: 0.02 });
    expect(report.report.model).toEqual({ k: 5, l: 2, maxSuppression: 0.02 });
    expect(measure(text, QUASI, ['diagnosis']).k).toBeGreaterThanOrEqual(5);
  });

  it('uses the duty k, l and suppression limit when they are stricter', async () => {
    const flow = await makeFlow();
    const { report, text } = await transferred(flow, 'urn:agreement:strict', { k: 12, l: 3, maxSuppressionPercent: 1 });
    expect(report.models.applied).toEqual({ k: 12, l: 3, maxSuppression: 0.01 });
    const measured = measure(text, QUASI, ['diagnosis']);
    expect(measured.k).toBeGreaterThanOrEqual(12);
    expect(measured.l['diagnosis']).toBeGreaterThanOrEqual(3);
    expect(report.report.rows.suppressionRate).toBeLessThanOrEqual(0.01);
  });
});
