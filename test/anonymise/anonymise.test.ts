import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { base32, canonicalJson, sha256Hex, type AnonymisationReport } from '../../src/anonymise/index.js';
import { SimulatedClock } from '../../src/clock/index.js';
import { unwrap } from '../../src/errors/index.js';
import { createFileKms, MINIMUM_KDF_PARAMS } from '../../src/kms/index.js';
import { anonymiseText, hmacHasher, UK_DATA, ukDeclaration } from './fixtures.js';
import { measure, parseCsv } from './independent-check.js';

const input = readFileSync(UK_DATA, 'utf8');
const [header, ...rows] = parseCsv(input) as [string[], ...string[][]];
const col = (name: string): number => header.indexOf(name);
const IDENTIFIERS = ['episode_id', 'patient_id', 'name', 'nhs_number'];
const QUASI = ['age', 'sex', 'ethnicity', 'postcode_district', 'admission_date'];

function pseudonymOf(key: string, column: string, value: string): string {
  return base32(hmacHasher(key)(new TextEncoder().encode(`${column}\u001f${value}`)).subarray(0, 10));
}

/** True when the released label is a truthful generalisation of the original value. */
function covers(column: string, label: string, value: string): boolean {
  if (label === value || label === 'Any' || label === '*') return true;
  if (column === 'age') {
    const [lo, hi] = label.slice(1, -1).split(',').map(Number) as [number, number];
    return label.startsWith('[') && lo <= Number(value) && Number(value) < hi;
  }
  if (column === 'postcode_district') return label.endsWith('*') && value.startsWith(label.slice(0, -1));
  if (column === 'admission_date') {
    if (!label.includes('/')) return value.startsWith(label);
    const [from, to] = label.split('/') as [string, string];
    return from <= value.slice(0, 7) && value.slice(0, 7) <= to;
  }
  const groups: Record<string, string[]> = { White: ['White British', 'White Irish', 'White Other'], Asian: ['Indian', 'Pakistani', 'Bangladeshi', 'Chinese', 'Asian Other'], Black: ['Black African', 'Black Caribbean'], 'Mixed or other': ['Mixed', 'Arab', 'Other'] };
  return column === 'ethnicity' && (groups[label] ?? []).includes(value);
}

describe('anonymiseTable on the UK hospital episodes sample', async () => {
  const declaration = ukDeclaration((d) => ((d as { model: unknown }).model = { k: 10, l: 3, maxSuppression: 0.03 }));
  const { result, output } = await anonymiseText(declaration, input, hmacHasher('agreement-A'));
  const report = unwrap(result) as AnonymisationReport;

  it('reaches k and l, as recomputed independently from the output, and reports them truly', () => {
    const measured = measure(output, QUASI, ['diagnosis']);
    expect(measured.k).toBeGreaterThanOrEqual(10);
    expect(measured.l.diagnosis).toBeGreaterThanOrEqual(3);
    expect(report.achieved.k).toBe(measured.k);
    expect(report.achieved.l).toBe(measured.l.diagnosis);
    expect(report.achieved.equivalenceClasses).toBe(measured.classes);
    expect(report.rows.out).toBe(measured.rows);
    expect(report.rows.in).toBe(rows.length);
    expect(report.rows.suppressed).toBe(rows.length - measured.rows);
    expect(report.rows.suppressed).toBeLessThanOrEqual(Math.floor(0.03 * rows.length));
    expect(report.risk.prosecutorMax).toBeCloseTo(1 / measured.k, 6);
  });

  it('leaves no direct identifier in the output in any form', () => {
    for (const name of IDENTIFIERS) {
      const values = new Set(rows.map((r) => r[col(name)] as string));
      const leaked = [...values].filter((v) => output.includes(v));
      expect(leaked, name).toEqual([]);
    }
    const outHeader = parseCsv(output)[0];
    expect(outHeader).not.toContain('name');
    expect(outHeader).not.toContain('nhs_number');
    expect(report.columns.removed).toEqual(['name', 'nhs_number']);
    expect(report.columns.pseudonymised).toEqual(['episode_id', 'patient_id']);
  });

  it('releases only truthful generalisations of each original row, in input order', () => {
    const [outHeader, ...outRows] = parseCsv(output) as [string[], ...string[][]];
    const byEpisode = new Map(rows.map((r) => [pseudonymOf('agreement-A', 'episode_id', r[col('episode_id')] as string), r]));
    let previous = -1;
    for (const out of outRows) {
      const original = byEpisode.get(out[outHeader.indexOf('episode_id')] as string);
      expect(original).toBeDefined();
      const position = rows.indexOf(original as string[]);
      expect(position).toBeGreaterThan(previous);
      previous = position;
      for (const q of QUASI) expect(covers(q, out[outHeader.indexOf(q)] as string, (original as string[])[col(q)] as string), `${q}: ${out[outHeader.indexOf(q)]}`).toBe(true);
      expect(out[outHeader.indexOf('diagnosis')]).toBe((original as string[])[col('diagnosis')]);
    }
  });

  it('reports information loss, levels and the digest of the output it wrote', () => {
    expect(report.output.sha256).toBe(`sha256:${sha256Hex(output)}`);
    expect(report.output.bytes).toBe(Buffer.byteLength(output));
    expect(report.input.sha256).toBe(`sha256:${sha256Hex(input)}`);
    expect(report.informationLoss.ncp).toBeGreaterThan(0);
    expect(report.informationLoss.ncp).toBeLessThan(0.5);
    const ageRows = Object.values(report.generalisation.age?.levels ?? {}).reduce((a, b) => a + b, 0);
    expect(ageRows).toBe(report.rows.out);
  });

  it('is deterministic: the same input, declaration and key give the same bytes and report', async () => {
    const again = await anonymiseText(declaration, input, hmacHasher('agreement-A'));
    expect(again.output).toBe(output);
    expect(canonicalJson(unwrap(again.result))).toBe(canonicalJson(report));
  });
});

describe('keyed pseudonyms from kms', () => {
  it('are stable within one agreement and share nothing across two agreements', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anon-kms-'));
    const kms = unwrap(await createFileKms({ path: join(dir, 'keystore.sealed'), passphrase: 'correct horse battery', clock: new SimulatedClock(), kdf: MINIMUM_KDF_PARAMS }));
    const declaration = ukDeclaration();
    const small = input.split('\r\n').slice(0, 401).join('\r\n');
    const runA1 = await anonymiseText(declaration, small, await kms.keyedHasher('pseudonym:agreement-A'));
    const runA2 = await anonymiseText(declaration, small, await kms.keyedHasher('pseudonym:agreement-A'));
    const runB = await anonymiseText(declaration, small, await kms.keyedHasher('pseudonym:agreement-B'));
    const patients = (text: string): string[] => parseCsv(text).slice(1).map((r) => r[1] as string);
    expect(patients(runA1.output)).toEqual(patients(runA2.output));
    const a = new Set(patients(runA1.output));
    expect(patients(runB.output).filter((p) => a.has(p))).toEqual([]);
    // Within one agreement, episodes of the same patient keep one pseudonym (linkable for research).
    const [, ...inRows] = parseCsv(small);
    const episodesPerPatient = new Map<string, number>();
    for (const r of inRows) episodesPerPatient.set(r[1] as string, (episodesPerPatient.get(r[1] as string) ?? 0) + 1);
    const repeated = [...episodesPerPatient.values()].filter((n) => n > 1).length;
    expect(repeated).toBeGreaterThan(0);
    expect(new Set(patients(runA1.output)).size).toBeLessThan(patients(runA1.output).length);
    expect(patients(runA1.output)[0]).toMatch(/^[a-z2-7]{16}$/);
  });
});
