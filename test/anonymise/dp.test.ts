import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileBudget, gaussian, inMemoryBudget, laplace, runDpQuery, seededUniform, type DpQueryOptions } from '../../src/anonymise/index.js';
import { unwrap } from '../../src/errors/index.js';
import { bytesOf } from './fixtures.js';

const DRAWS = 40_000;

function meanAbsoluteDeviation(draw: () => number): { mad: number; mean: number } {
  let abs = 0;
  let sum = 0;
  for (let i = 0; i < DRAWS; i++) {
    const x = draw();
    abs += Math.abs(x);
    sum += x;
  }
  return { mad: abs / DRAWS, mean: sum / DRAWS };
}

describe('noise mechanisms', () => {
  it('Laplace noise has mean absolute deviation b = sensitivity / epsilon (fixed seed)', () => {
    for (const [sensitivity, epsilon] of [[1, 0.5], [10, 2], [1, 0.1]] as const) {
      const random = seededUniform(`laplace-${epsilon}`);
      const b = sensitivity / epsilon;
      const { mad, mean } = meanAbsoluteDeviation(() => laplace(b, random));
      expect(Math.abs(mad / b - 1)).toBeLessThan(0.03);
      expect(Math.abs(mean) / b).toBeLessThan(0.03);
    }
  });

  it('is deterministic given the seed and differs across seeds', () => {
    const draws = (seed: string): number[] => {
      const random = seededUniform(seed);
      return Array.from({ length: 5 }, () => laplace(1, random));
    };
    expect(draws('s1')).toEqual(draws('s1'));
    expect(draws('s1')).not.toEqual(draws('s2'));
  });

  it('Gaussian noise has standard deviation sigma', () => {
    const random = seededUniform('gauss');
    let squares = 0;
    for (let i = 0; i < DRAWS; i++) squares += gaussian(3, random) ** 2;
    expect(Math.abs(Math.sqrt(squares / DRAWS) / 3 - 1)).toBeLessThan(0.03);
  });

  it('uniform draws stay strictly inside (0, 1)', () => {
    const random = seededUniform('bounds');
    let min = 1;
    let max = 0;
    for (let i = 0; i < 100_000; i++) {
      const u = random.next();
      min = Math.min(min, u);
      max = Math.max(max, u);
    }
    expect(min).toBeGreaterThan(0);
    expect(max).toBeLessThan(1);
  });
});

const DATA = `region,sex,income\n${Array.from({ length: 1000 }, (_, i) => `${['north', 'south'][i % 2]},${i % 3 === 0 ? 'F' : 'M'},${(i * 37) % 120000}`).join('\n')}\n`;

function options(over: Partial<DpQueryOptions>): DpQueryOptions {
  return {
    agreementId: 'agreement-1',
    totalEpsilon: 1,
    budget: inMemoryBudget(),
    query: { groupBy: [{ column: 'region', values: ['north', 'south', 'west'] }], measure: { kind: 'count' }, epsilon: 0.25 },
    open: bytesOf(DATA),
    format: 'csv',
    random: seededUniform('query'),
    ...over,
  };
}

describe('differentially private aggregates', () => {
  it('counts by a declared group domain with noise of scale 1/epsilon, including empty groups', async () => {
    const result = unwrap(await runDpQuery(options({})));
    expect(result.noiseScale).toEqual({ count: 4 });
    expect(result.groups.map((g) => g.key.region)).toEqual(['north', 'south', 'west']);
    expect(Math.abs((result.groups[0]?.value ?? 0) - 500)).toBeLessThan(40);
    expect(result.groups[2]?.value).toBeGreaterThanOrEqual(0);
    expect(result.budget).toEqual({ spent: 0.25, remaining: 0.75 });
  });

  it('clamps values to the declared bounds for sums and means', async () => {
    const query = { groupBy: [{ column: 'sex', values: ['F', 'M'] }], measure: { kind: 'mean', column: 'income', bounds: [0, 50000] }, epsilon: 0.8 };
    const result = unwrap(await runDpQuery(options({ query })));
    expect(result.noiseScale).toEqual({ count: 2.5, sum: 125000 });
    for (const g of result.groups) {
      expect(g.value).toBeGreaterThanOrEqual(0);
      expect(g.value).toBeLessThanOrEqual(50000);
    }
  });

  it('refuses once the agreement budget is spent, without computing or charging', async () => {
    const budget = inMemoryBudget();
    for (let i = 0; i < 4; i++) unwrap(await runDpQuery(options({ budget })));
    const refused = await runDpQuery(options({ budget }));
    expect(refused).toMatchObject({ ok: false, code: 'SOV_ANON_BUDGET_EXHAUSTED' });
    expect(await budget.spent('agreement-1')).toBeCloseTo(1, 12);
    unwrap(await runDpQuery(options({ budget, agreementId: 'agreement-2' })));
  });

  it('keeps the spent budget across a restart (file adapter reopened)', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'dp-budget-')), 'budget.json');
    unwrap(await runDpQuery(options({ budget: fileBudget(path), query: { measure: { kind: 'count' }, epsilon: 0.6 } })));
    const reopened = fileBudget(path);
    expect(await reopened.spent('agreement-1')).toBeCloseTo(0.6, 12);
    const refused = await runDpQuery(options({ budget: reopened, query: { measure: { kind: 'count' }, epsilon: 0.5 } }));
    expect(refused).toMatchObject({ ok: false, code: 'SOV_ANON_BUDGET_EXHAUSTED' });
    unwrap(await runDpQuery(options({ budget: reopened, query: { measure: { kind: 'count' }, epsilon: 0.4 } })));
    expect(await fileBudget(path).spent('agreement-1')).toBeCloseTo(1, 12);
  });

  it('serialises concurrent spends so the total is never exceeded', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'dp-budget-')), 'budget.json');
    const budget = fileBudget(path);
    const results = await Promise.all(Array.from({ length: 8 }, () => budget.spend('a', 0.3, 1)));
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    expect(await budget.spent('a')).toBeCloseTo(0.9, 12);
  });

  it('rejects invalid queries without spending', async () => {
    const budget = inMemoryBudget();
    expect(await runDpQuery(options({ budget, query: { measure: { kind: 'sum', column: 'income' }, epsilon: 1 } }))).toMatchObject({ ok: false, code: 'SOV_ANON_QUERY_INVALID' });
    expect(await runDpQuery(options({ budget, query: { measure: { kind: 'count' }, epsilon: 0 } }))).toMatchObject({ ok: false, code: 'SOV_ANON_QUERY_INVALID' });
    expect(await runDpQuery(options({ budget, query: { measure: { kind: 'count' }, epsilon: 2, mechanism: { kind: 'gaussian', delta: 1e-6 } } }))).toMatchObject({
      ok: false,
      detail: 'query: the classical Gaussian mechanism needs epsilon < 1',
    });
    expect(await runDpQuery(options({ budget, query: { groupBy: [{ column: 'nope', values: ['x'] }], measure: { kind: 'count' }, epsilon: 0.1 } }))).toMatchObject({
      ok: false,
      detail: 'unknown column(s): nope',
    });
    expect(await budget.spent('agreement-1')).toBe(0);
  });
});
