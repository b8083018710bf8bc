/**
 * Differentially private counts, sums and means by group. Groups come from a declared public
 * domain (never from the data, whose rare values would otherwise leak through the group list);
 * records outside it are not counted. Each record falls in one group, so one ε covers all
 * groups (parallel composition, Dwork & Roth §3.5 / McSherry 2009). Values are
 * clamped to declared bounds, which fixes the sensitivity: 1 for a count, max(|lo|, |hi|) for a
 * sum under add/remove-one-record neighbours. A mean spends ε/2 on a sum and ε/2 on a count.
 */
import { z } from 'zod';
import { fail, ok, type Result } from '../../errors/index.js';
import { readTable, readingTable, type TableFormat } from '../table/index.js';
import type { PrivacyBudgetRepository } from './budget.js';
import { gaussian, gaussianSigma, laplace } from './mechanisms.js';
import type { UniformSource } from './random.js';

const bounds = z.tuple([z.number(), z.number()]).refine(([lo, hi]) => lo <= hi, 'bounds must be [low, high]');

export const dpQuerySchema = z
  .object({
    groupBy: z.array(z.object({ column: z.string().min(1), values: z.array(z.string()).min(1) }).strict()).default([]),
    measure: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('count') }).strict(),
      z.object({ kind: z.enum(['sum', 'mean']), column: z.string().min(1), bounds }).strict(),
    ]),
    epsilon: z.number().positive(),
    mechanism: z
      .discriminatedUnion('kind', [z.object({ kind: z.literal('laplace') }).strict(), z.object({ kind: z.literal('gaussian'), delta: z.number().gt(0).lt(1) }).strict()])
      .default({ kind: 'laplace' }),
  })
  .strict()
  .refine((q) => q.mechanism.kind === 'laplace' || q.epsilon < 1, 'the classical Gaussian mechanism needs epsilon < 1');

export type DpQuery = z.infer<typeof dpQuerySchema>;

export interface DpGroup {
  key: Record<string, string>;
  /** Noisy value after post-processing (counts rounded and ≥ 0, means clamped to bounds). */
  value: number;
}

export interface DpResult {
  measure: DpQuery['measure'];
  epsilon: number;
  mechanism: DpQuery['mechanism'];
  /** Noise scale of the released values: b (Laplace) or σ (Gaussian) of the sum/count. */
  noiseScale: { count?: number; sum?: number };
  groups: DpGroup[];
  budget: { spent: number; remaining: number };
}

interface Totals {
  keys: string[][];
  counts: Float64Array;
  sums: Float64Array;
}

function groupKeys(groupBy: DpQuery['groupBy']): string[][] {
  return groupBy.reduce<string[][]>((acc, g) => acc.flatMap((prefix) => g.values.map((v) => [...prefix, v])), [[]]);
}

async function accumulate(query: DpQuery, source: AsyncIterable<Uint8Array>, format: TableFormat): Promise<Result<Totals>> {
  const keys = groupKeys(query.groupBy);
  const index = new Map(keys.map((k, i) => [k.join('\u0000'), i]));
  const totals: Totals = { keys, counts: new Float64Array(keys.length), sums: new Float64Array(keys.length) };
  let header: string[] | undefined;
  let columns: number[] = [];
  let measure = -1;
  let row = 0;
  for await (const batch of readTable(source, format)) {
    for (const record of batch) {
      if (header === undefined) {
        header = record;
        const wanted = [...query.groupBy.map((g) => g.column), ...(query.measure.kind === 'count' ? [] : [query.measure.column])];
        const unknown = wanted.filter((c) => !record.includes(c));
        if (unknown.length > 0) return fail('SOV_ANON_QUERY_INVALID', `unknown column(s): ${unknown.join(', ')}`, { columns: unknown });
        columns = query.groupBy.map((g) => record.indexOf(g.column));
        measure = query.measure.kind === 'count' ? -1 : record.indexOf(query.measure.column);
        continue;
      }
      row++;
      const group = index.get(columns.map((c) => record[c] ?? '').join('\u0000'));
      if (group === undefined) continue;
      totals.counts[group] = (totals.counts[group] as number) + 1;
      if (measure < 0 || query.measure.kind === 'count') continue;
      const value = Number(record[measure]);
      if (record[measure]?.trim() === '' || !Number.isFinite(value)) {
        return fail('SOV_ANON_INPUT_INVALID', `column '${query.measure.column}', row ${row}: '${record[measure] ?? ''}' is not a number`);
      }
      const [lo, hi] = query.measure.bounds;
      totals.sums[group] = (totals.sums[group] as number) + Math.min(hi, Math.max(lo, value));
    }
  }
  return ok(totals);
}

function noise(query: DpQuery, sensitivity: number, epsilon: number, random: UniformSource): { scale: number; draw: () => number } {
  const m = query.mechanism;
  const scale = m.kind === 'laplace' ? sensitivity / epsilon : gaussianSigma(sensitivity, epsilon, m.delta);
  return { scale, draw: () => (m.kind === 'laplace' ? laplace(scale, random) : gaussian(scale, random)) };
}

function release(query: DpQuery, totals: Totals, random: UniformSource): { groups: DpGroup[]; noiseScale: DpResult['noiseScale'] } {
  const m = query.measure;
  const countEpsilon = m.kind === 'mean' ? query.epsilon / 2 : query.epsilon;
  const countNoise = noise(query, 1, countEpsilon, random);
  const [lo, hi] = m.kind === 'count' ? [0, 0] : m.bounds;
  const sumNoise = noise(query, Math.max(Math.abs(lo), Math.abs(hi)), m.kind === 'mean' ? query.epsilon / 2 : query.epsilon, random);
  const groups = totals.keys.map((key, g) => {
    const named = Object.fromEntries(query.groupBy.map((group, i) => [group.column, key[i] as string]));
    const count = (totals.counts[g] as number) + (m.kind === 'sum' ? 0 : countNoise.draw());
    const sum = (totals.sums[g] as number) + (m.kind === 'count' ? 0 : sumNoise.draw());
    if (m.kind === 'count') return { key: named, value: Math.max(0, Math.round(count)) };
    if (m.kind === 'sum') return { key: named, value: sum };
    return { key: named, value: Math.min(hi, Math.max(lo, sum / Math.max(1, count))) };
  });
  const noiseScale = m.kind === 'count' ? { count: countNoise.scale } : m.kind === 'sum' ? { sum: sumNoise.scale } : { count: countNoise.scale, sum: sumNoise.scale };
  return { groups, noiseScale };
}

export interface DpQueryOptions {
  agreementId: string;
  /** The agreement's total ε (from its policy). */
  totalEpsilon: number;
  budget: PrivacyBudgetRepository;
  query: unknown;
  open: () => AsyncIterable<Uint8Array>;
  format: TableFormat;
  random: UniformSource;
}

/** Validates, computes, spends ε (refusing when spent) and only then releases noisy values. */
export async function runDpQuery(options: DpQueryOptions): Promise<Result<DpResult>> {
  const parsed = dpQuerySchema.safeParse(options.query);
  if (!parsed.success) {
    return fail('SOV_ANON_QUERY_INVALID', parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '));
  }
  const query = parsed.data;
  const totals = await readingTable(() => accumulate(query, options.open(), options.format));
  if (!totals.ok) return totals;
  const spent = await options.budget.spend(options.agreementId, query.epsilon, options.totalEpsilon);
  if (!spent.ok) return spent;
  const { groups, noiseScale } = release(query, totals.value, options.random);
  return ok({
    measure: query.measure,
    epsilon: query.epsilon,
    mechanism: query.mechanism,
    noiseScale,
    groups,
    budget: { spent: spent.value.spent, remaining: spent.value.remaining },
  });
}
