/**
 * The anonymisation report that travels with the data: what was asked, what the output
 * achieves (measured on the released classes), what was removed, and digests of the input and
 * output. It holds no timestamps, so the same input and declaration give the same bytes.
 */
import type { AnonymisationDeclaration } from './declaration.js';
import type { Released } from './equivalence.js';

export interface AnonymisationReport {
  type: 'AnonymisationReport';
  version: 1;
  dataset: string;
  method: 'mondrian-strict-multidimensional';
  model: { k: number; l?: number; maxSuppression: number };
  achieved: { k: number; l?: number; lByColumn: Record<string, number>; equivalenceClasses: number };
  rows: { in: number; out: number; suppressed: number; suppressionRate: number };
  /** Normalised certainty penalty in [0, 1]: 0 = released as is, 1 = fully generalised or suppressed. */
  informationLoss: { ncp: number; byColumn: Record<string, number> };
  /** Prosecutor model: the attacker knows the target is in the data; risk = 1 / class size. */
  risk: { prosecutorMax: number; prosecutorAverage: number };
  columns: { removed: string[]; pseudonymised: string[]; generalised: string[]; sensitive: string[]; kept: string[] };
  /** Per quasi-identifier: hierarchy kind, distinct released values, rows released at each level. */
  generalisation: Record<string, { hierarchy: string; distinctValues: number; levels: Record<string, number> }>;
  input: { format: string; sha256: string };
  output: { format: string; sha256: string; bytes: number; columns: string[] };
}

const round = (value: number): number => Math.round(value * 1e6) / 1e6;

function columnsByRole(decl: AnonymisationDeclaration): AnonymisationReport['columns'] {
  const names = (pick: (c: AnonymisationDeclaration['columns'][number]) => boolean): string[] => decl.columns.filter(pick).map((c) => c.name);
  return {
    removed: names((c) => c.role === 'identifier' && c.action === 'drop'),
    pseudonymised: names((c) => c.role === 'identifier' && c.action === 'pseudonymise'),
    generalised: names((c) => c.role === 'quasi'),
    sensitive: names((c) => c.role === 'sensitive'),
    kept: names((c) => c.role === 'insensitive'),
  };
}

export interface ReportInput {
  declaration: AnonymisationDeclaration;
  rowsIn: number;
  suppressed: number;
  released: Released;
  lByColumn: Record<string, number>;
  inputDigest: string;
  output: { sha256: string; bytes: number; columns: string[] };
}

export function buildReport(input: ReportInput): AnonymisationReport {
  const { declaration: decl, released, rowsIn, suppressed } = input;
  const quasi = decl.columns.flatMap((c) => (c.role === 'quasi' ? [c] : []));
  const rowsOut = rowsIn - suppressed;
  const minClass = released.classSizes.reduce((m, s) => Math.min(m, s), Infinity);
  const lValues = Object.values(input.lByColumn);
  const byColumn: Record<string, number> = {};
  const generalisation: AnonymisationReport['generalisation'] = {};
  quasi.forEach((c, q) => {
    byColumn[c.name] = round(rowsIn === 0 ? 0 : ((released.lossSums[q] as number) + suppressed) / rowsIn);
    const distinct = new Set(released.classLabels.map((labels) => labels[q])).size;
    generalisation[c.name] = { hierarchy: c.hierarchy.type, distinctValues: distinct, levels: released.levels[q] as Record<string, number> };
  });
  const ncp = quasi.length === 0 ? 0 : Object.values(byColumn).reduce((a, b) => a + b, 0) / quasi.length;
  return {
    type: 'AnonymisationReport',
    version: 1,
    dataset: decl.dataset,
    method: 'mondrian-strict-multidimensional',
    model: { k: decl.model.k, ...(decl.model.l === undefined ? {} : { l: decl.model.l }), maxSuppression: decl.model.maxSuppression },
    achieved: {
      k: Number.isFinite(minClass) ? minClass : 0,
      ...(lValues.length === 0 ? {} : { l: Math.min(...lValues) }),
      lByColumn: input.lByColumn,
      equivalenceClasses: released.classSizes.length,
    },
    rows: { in: rowsIn, out: rowsOut, suppressed, suppressionRate: round(rowsIn === 0 ? 0 : suppressed / rowsIn) },
    informationLoss: { ncp: round(ncp), byColumn },
    risk: {
      prosecutorMax: round(Number.isFinite(minClass) ? 1 / minClass : 0),
      prosecutorAverage: round(rowsOut === 0 ? 0 : released.classSizes.length / rowsOut),
    },
    columns: columnsByRole(decl),
    generalisation,
    input: { format: decl.format, sha256: input.inputDigest },
    output: { format: decl.format, ...input.output },
  };
}
