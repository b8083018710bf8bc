import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { anonymiseTable, parseDeclaration } from '../../src/anonymise/index.js';
import { unwrap } from '../../src/errors/index.js';
import { anonymiseText, bytesOf, hmacHasher, UK_DATA, ukDeclaration } from './fixtures.js';
import { measure } from './independent-check.js';

const declaration = unwrap(
  parseDeclaration({
    dataset: 'tiny',
    columns: [
      { name: 'id', role: 'identifier', action: 'drop' },
      { name: 'age', role: 'quasi', hierarchy: { type: 'numeric', widths: [1, 10] } },
      { name: 'region', role: 'quasi', hierarchy: { type: 'tree', tree: { label: 'Any', children: ['North', 'South', 'East', 'West'] } } },
      { name: 'diagnosis', role: 'sensitive' },
    ],
    model: { k: 3, l: 2, maxSuppression: 0 },
  }),
);

function table(rows: Array<[number, string, string]>): string {
  return `id,age,region,diagnosis\n${rows.map(([age, region, dx], i) => `id-${i},${age},${region},${dx}`).join('\n')}\n`;
}

const diverse = (n: number, region: string, base: number): Array<[number, string, string]> =>
  Array.from({ length: n }, (_, i) => [base + i, region, i % 2 === 0 ? 'flu' : 'asthma'] as [number, string, string]);

describe('fail closed', () => {
  it('refuses when the dataset has fewer rows than k, and writes nothing', async () => {
    const written: Uint8Array[] = [];
    const result = await anonymiseTable({ declaration, open: bytesOf(table(diverse(2, 'North', 30))), write: (c) => void written.push(c) });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe('SOV_ANON_MODEL_UNREACHABLE');
    expect(result.detail).toContain('fewer than k = 3');
    expect(result.data).toEqual({ achievableK: 2 });
    expect(written).toEqual([]);
  });

  it('refuses when l exceeds the distinct sensitive values, saying which l is achievable', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => [20 + i, 'North', 'flu'] as [number, string, string]);
    const { result, output } = await anonymiseText(declaration, table(rows));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe('SOV_ANON_MODEL_UNREACHABLE');
    expect(result.detail).toContain("'diagnosis' has only 1 distinct values");
    expect(result.data).toEqual({ achievableL: 1 });
    expect(output).toBe('');
  });

  it('without a suppression allowance, pools a too-small category under its parent instead of releasing it', async () => {
    const rows = [...diverse(6, 'North', 20), ...diverse(6, 'South', 20), [44, 'East', 'flu'] as [number, string, string]];
    const { result, output } = await anonymiseText(declaration, table(rows));
    const report = unwrap(result);
    expect(report.rows.suppressed).toBe(0);
    const measured = measure(output, ['age', 'region'], ['diagnosis']);
    expect(measured.k).toBeGreaterThanOrEqual(3);
    expect(measured.l.diagnosis).toBeGreaterThanOrEqual(2);
    expect(output).not.toMatch(/,East,/);
  });

  it('with an allowance, suppresses the outlier rows instead, within the limit', async () => {
    const allowing = { ...declaration, model: { ...declaration.model, maxSuppression: 0.1 } };
    const rows = [...diverse(6, 'North', 20), ...diverse(6, 'South', 20), [44, 'East', 'flu'] as [number, string, string]];
    const { result, output } = await anonymiseText(allowing, table(rows));
    const report = unwrap(result);
    expect(report.rows.suppressed).toBe(1);
    expect(report.rows.out).toBe(12);
    expect(output).not.toContain('East');
    expect(measure(output, ['age', 'region'], ['diagnosis']).k).toBe(report.achieved.k);
  });

  it('refuses output when the dataset changes between the two passes', async () => {
    const first = table(diverse(12, 'North', 20));
    const second = table(diverse(13, 'North', 20));
    let opened = 0;
    const result = await anonymiseTable({ declaration, open: () => bytesOf(opened++ === 0 ? first : second)(), write: () => undefined });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.code).toBe('SOV_ANON_SOURCE_CHANGED');
  });

  it('anonymises JSON Lines the same way', async () => {
    const jsonl = diverse(20, 'South', 30)
      .map(([age, region, diagnosis], i) => JSON.stringify({ id: `id-${i}`, age, region, diagnosis }))
      .join('\n');
    const { result, output } = await anonymiseText({ ...declaration, format: 'jsonl' }, jsonl, hmacHasher('x'));
    const report = unwrap(result);
    const lines = output.trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    expect(lines).toHaveLength(20);
    expect(Object.keys(lines[0] ?? {})).toEqual(['age', 'region', 'diagnosis']);
    const sizes = new Map<string, number>();
    for (const l of lines) sizes.set(`${l.age}|${l.region}`, (sizes.get(`${l.age}|${l.region}`) ?? 0) + 1);
    expect(Math.min(...sizes.values())).toBe(report.achieved.k);
    expect(report.achieved.k).toBeGreaterThanOrEqual(3);
  });

  it('meets a larger k on the UK sample too (k = 50, l = 5)', async () => {
    const strict = ukDeclaration((d) => ((d as { model: unknown }).model = { k: 50, l: 5, maxSuppression: 0 }));
    const { result, output } = await anonymiseText(strict, readFileSync(UK_DATA, 'utf8'));
    const report = unwrap(result);
    const measured = measure(output, ['age', 'sex', 'ethnicity', 'postcode_district', 'admission_date'], ['diagnosis']);
    expect(measured.k).toBe(report.achieved.k);
    expect(measured.k).toBeGreaterThanOrEqual(50);
    expect(measured.l.diagnosis).toBeGreaterThanOrEqual(5);
  });
});
