/**
 * The security-critical path (docs/supply-chain.md §"What counts"): the installed production
 * packages that do crypto, signatures, JSON-LD canonicalisation, auth or key handling, and
 * everything they load. The criteria live in `supply-chain/reviewed-security-critical.json` next
 * to the reviewed packages, so a change of rule is reviewed like a change of package: a package is
 * on the path when its name matches a root (exact, or `@scope/*`) or a name pattern, or one of its
 * package.json keywords is listed — and so is every production package reachable from one of those.
 * The check fails for any package on the path without a reviewed entry at its major version
 * (`0.y` counts as its own major, as npm's caret ranges do) or whose licence differs from the
 * reviewed one. Pure: it takes the tree and the parsed list.
 */
import { z } from 'zod';
import type { InstalledPackage, PackageTree } from './package-tree.js';

const reviewedEntrySchema = z.object({
  name: z.string().min(1),
  /** `"5"` for 5.x.y, `"0.8"` for 0.8.z. */
  major: z.string().regex(/^(0\.\d+|[1-9]\d*)$/),
  version: z.string().min(1),
  license: z.string().min(1),
  origin: z.string().min(1),
  reviewedOn: z.iso.date(),
  why: z.string().min(1),
});

export const reviewedListSchema = z.object({
  criteria: z.object({
    roots: z.array(z.string().min(1)),
    namePatterns: z.array(z.string().min(1)),
    keywords: z.array(z.string().min(1)),
  }),
  packages: z.array(reviewedEntrySchema),
});

export type ReviewedList = z.infer<typeof reviewedListSchema>;
export type ReviewedEntry = z.infer<typeof reviewedEntrySchema>;

export type Finding =
  | { readonly kind: 'unreviewed' }
  | { readonly kind: 'major-not-reviewed'; readonly reviewedMajors: readonly string[] }
  | { readonly kind: 'licence-changed'; readonly reviewedLicense: string };

export interface PathRow {
  readonly pkg: InstalledPackage;
  /** Why it is on the path: the criterion it matched, or the package that pulls it in. */
  readonly because: string;
  readonly reviewed?: ReviewedEntry;
  /** Undefined when the package is reviewed at this major with the same licence. */
  readonly finding?: Finding;
}

export interface CheckReport {
  readonly passed: boolean;
  readonly rows: readonly PathRow[];
  /** Reviewed entries whose package is no longer on the path (informational). */
  readonly stale: readonly ReviewedEntry[];
}

/** npm's notion of a breaking change: `5.1.0` → `5`, `0.8.4` → `0.8`, `0.0.3` → `0.0`. */
export function majorOf(version: string): string {
  const [major, minor] = version.split('.');
  return major === '0' ? `0.${minor ?? '0'}` : (major ?? version);
}

/** Why a package starts the path by itself, or undefined. */
function seedReason(pkg: InstalledPackage, criteria: ReviewedList['criteria']): string | undefined {
  const root = criteria.roots.find((r) => r === pkg.name || (r.endsWith('/*') && pkg.name.startsWith(r.slice(0, -1))));
  if (root !== undefined) return `root ${root}`;
  const pattern = criteria.namePatterns.find((p) => new RegExp(p, 'i').test(pkg.name));
  if (pattern !== undefined) return `name matches /${pattern}/`;
  const keyword = pkg.keywords.find((k) => criteria.keywords.includes(k));
  return keyword === undefined ? undefined : `keyword "${keyword}"`;
}

/** Seeds plus their transitive production dependencies, each with the reason it is included. */
export function securityCriticalPath(tree: PackageTree, criteria: ReviewedList['criteria']): Map<string, string> {
  const because = new Map<string, string>();
  const queue: string[] = [];
  for (const pkg of tree.packages.values()) {
    const reason = seedReason(pkg, criteria);
    if (reason !== undefined) because.set(pkg.path, reason);
    if (reason !== undefined) queue.push(pkg.path);
  }
  for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
    const pkg = tree.packages.get(path) as InstalledPackage;
    for (const dep of pkg.dependsOn) {
      if (because.has(dep)) continue;
      because.set(dep, `dependency of ${pkg.name}`);
      queue.push(dep);
    }
  }
  return because;
}

function judge(pkg: InstalledPackage, entries: readonly ReviewedEntry[]): Pick<PathRow, 'reviewed' | 'finding'> {
  const sameName = entries.filter((e) => e.name === pkg.name);
  if (sameName.length === 0) return { finding: { kind: 'unreviewed' } };
  const reviewed = sameName.find((e) => e.major === majorOf(pkg.version));
  if (reviewed === undefined) return { finding: { kind: 'major-not-reviewed', reviewedMajors: sameName.map((e) => e.major) } };
  if (reviewed.license !== pkg.license) return { reviewed, finding: { kind: 'licence-changed', reviewedLicense: reviewed.license } };
  return { reviewed };
}

/** Lists the path and judges each package against the reviewed list. */
export function checkSecurityCriticalPath(tree: PackageTree, list: ReviewedList): CheckReport {
  const path = securityCriticalPath(tree, list.criteria);
  const rows = [...path.entries()]
    .map(([p, because]) => {
      const pkg = tree.packages.get(p) as InstalledPackage;
      return { pkg, because, ...judge(pkg, list.packages) };
    })
    .sort((a, b) => a.pkg.name.localeCompare(b.pkg.name) || a.pkg.path.localeCompare(b.pkg.path));
  const onPath = new Set(rows.map((r) => `${r.pkg.name}@${majorOf(r.pkg.version)}`));
  const stale = list.packages.filter((e) => !onPath.has(`${e.name}@${e.major}`));
  return { passed: rows.every((r) => r.finding === undefined), rows, stale };
}

/** One line per failing package, naming it and what a reviewer must do. */
export function describeFinding(row: PathRow): string | undefined {
  const id = `${row.pkg.name}@${row.pkg.version} (${row.pkg.path}, ${row.because})`;
  switch (row.finding?.kind) {
    case undefined:
      return undefined;
    case 'unreviewed':
      return `${id}: not on the reviewed list`;
    case 'major-not-reviewed':
      return `${id}: reviewed only at major ${row.finding.reviewedMajors.join(', ')}, installed major ${majorOf(row.pkg.version)}`;
    case 'licence-changed':
      return `${id}: licence is "${row.pkg.license}", reviewed as "${row.finding.reviewedLicense}"`;
  }
}
