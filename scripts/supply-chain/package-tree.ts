/**
 * The connector's installed production dependency tree, read offline from `package-lock.json`
 * (lockfile v2/v3 `packages` map) and each installed package's own `package.json`. Both the SBOM
 * and the security-critical check work on this description, so tests can hand them a fixture
 * tree instead of touching `node_modules`. Production = everything reachable from the root's
 * `dependencies`/`optionalDependencies` through `dependencies`, `optionalDependencies` and
 * `peerDependencies` (npm ≥ 7 installs peers), resolved with Node's `node_modules` lookup
 * (nearest enclosing `node_modules` first). Optional packages that are not installed (other
 * platforms' native builds) are left out: the SBOM describes what is installed.
 */
import { z } from 'zod';

const depMap = z.record(z.string(), z.string()).optional();

const lockEntrySchema = z.object({
  name: z.string().optional(),
  version: z.string().optional(),
  resolved: z.string().optional(),
  integrity: z.string().optional(),
  license: z.string().optional(),
  dependencies: depMap,
  optionalDependencies: depMap,
  peerDependencies: depMap,
  peerDependenciesMeta: z.record(z.string(), z.object({ optional: z.boolean().optional() })).optional(),
  link: z.boolean().optional(),
});

const lockfileSchema = z.object({
  lockfileVersion: z.number().int().min(2),
  packages: z.record(z.string(), lockEntrySchema),
});

type LockEntry = z.infer<typeof lockEntrySchema>;

const person = z.union([
  z.string(),
  z.object({ name: z.string().optional(), email: z.string().optional(), url: z.string().optional() }),
]);

const manifestSchema = z.object({
  name: z.string().optional(),
  version: z.string().optional(),
  description: z.string().optional(),
  license: z.union([z.string(), z.object({ type: z.string() })]).optional(),
  licenses: z.array(z.object({ type: z.string() })).optional(),
  author: person.optional(),
  maintainers: z.array(person).optional(),
  contributors: z.array(person).optional(),
  repository: z.union([z.string(), z.object({ url: z.string().optional() })]).optional(),
  keywords: z.array(z.string()).optional(),
});

type Manifest = z.infer<typeof manifestSchema>;

/** One installed production package, identified by its install path in the lockfile. */
export interface InstalledPackage {
  /** Lockfile key, e.g. `node_modules/@digitalbazaar/vc`. */
  readonly path: string;
  readonly name: string;
  readonly version: string;
  /** Declared licence (SPDX expression as written by the author), `NOASSERTION` when absent. */
  readonly license: string;
  /** Subresource-integrity string from the lockfile (`sha512-…`), when npm recorded one. */
  readonly integrity?: string;
  /** Tarball URL the lockfile records. */
  readonly resolved?: string;
  readonly description?: string;
  /** `author`, `maintainers` and `contributors` from the installed package.json, in that order. */
  readonly people: readonly string[];
  readonly repository?: string;
  readonly keywords: readonly string[];
  /** Install paths of the production packages this one depends on. */
  readonly dependsOn: readonly string[];
}

export interface PackageTree {
  readonly root: {
    readonly name: string;
    readonly version: string;
    readonly license: string;
    /** Install paths of the root's direct production dependencies. */
    readonly dependsOn: readonly string[];
  };
  /** Installed production packages by install path, sorted by path. */
  readonly packages: ReadonlyMap<string, InstalledPackage>;
}

/** Where the tree comes from: the parsed lockfile and a reader of installed manifests. */
export interface TreeSource {
  readonly lockfile: unknown;
  /** Parsed `<path>/package.json`, or undefined when that package is not installed. */
  readManifest(path: string): unknown;
}

/** Builds the production tree; throws (a broken checkout is a bug to fix, not a result) naming the problem. */
export function loadProductionTree(source: TreeSource): PackageTree {
  const lock = lockfileSchema.parse(source.lockfile);
  const rootEntry = lock.packages[''];
  if (rootEntry === undefined) throw new Error('package-lock.json has no root entry ("")');
  const rootManifest = parseManifest('', source.readManifest(''));
  const edgesOf = new Map<string, string[]>();
  const queue = [''];
  for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
    const targets = productionEdges(path, lock.packages[path] as LockEntry)
      .map((edge) => resolveInstalled(lock.packages, source, path as string, edge))
      .filter((t): t is string => t !== undefined);
    edgesOf.set(path, targets);
    for (const t of targets) if (!edgesOf.has(t) && !queue.includes(t)) queue.push(t);
  }
  const paths = [...edgesOf.keys()].filter((p) => p !== '').sort();
  const packages = new Map(paths.map((p) => [p, describe(p, lock.packages[p] as LockEntry, source, edgesOf.get(p) ?? [])]));
  return {
    root: {
      name: rootManifest.name ?? rootEntry.name ?? 'unnamed',
      version: rootManifest.version ?? rootEntry.version ?? '0.0.0',
      license: licenseOf(rootManifest) ?? rootEntry.license ?? 'NOASSERTION',
      dependsOn: edgesOf.get('') ?? [],
    },
    packages,
  };
}

interface Edge {
  readonly name: string;
  readonly optional: boolean;
}

function productionEdges(path: string, entry: LockEntry): Edge[] {
  const edges: Edge[] = Object.keys(entry.dependencies ?? {}).map((name) => ({ name, optional: false }));
  for (const name of Object.keys(entry.optionalDependencies ?? {})) edges.push({ name, optional: true });
  // The root's peers are not installed for it; a dependency's peers are part of its runtime.
  if (path !== '') {
    for (const name of Object.keys(entry.peerDependencies ?? {})) {
      edges.push({ name, optional: entry.peerDependenciesMeta?.[name]?.optional === true });
    }
  }
  return edges;
}

/** Node's lookup: `<path>/node_modules/<name>`, then each enclosing package's, up to the root. */
function resolveInstalled(
  packages: Record<string, LockEntry>,
  source: TreeSource,
  from: string,
  edge: Edge,
): string | undefined {
  for (let dir = from; ; dir = parentPackage(dir)) {
    const candidate = `${dir === '' ? '' : `${dir}/`}node_modules/${edge.name}`;
    if (packages[candidate] !== undefined) {
      if (packages[candidate]?.link === true) throw new Error(`${candidate}: linked packages (workspaces) are not supported`);
      if (source.readManifest(candidate) !== undefined) return candidate;
      if (edge.optional) return undefined;
      throw new Error(`${candidate} is in package-lock.json but not installed: run npm ci`);
    }
    if (dir === '') break;
  }
  if (edge.optional) return undefined;
  throw new Error(`${from || 'the root'} depends on ${edge.name}, which package-lock.json does not resolve`);
}

function parentPackage(path: string): string {
  const cut = path.lastIndexOf('node_modules/');
  return cut <= 0 ? '' : path.slice(0, cut - 1);
}

function describe(path: string, entry: LockEntry, source: TreeSource, dependsOn: string[]): InstalledPackage {
  const manifest = parseManifest(path, source.readManifest(path));
  const version = entry.version ?? manifest.version;
  if (version === undefined) throw new Error(`${path}: no version in package-lock.json`);
  const people = [manifest.author, ...(manifest.maintainers ?? []), ...(manifest.contributors ?? [])]
    .map(personName)
    .filter((p): p is string => p !== undefined && p !== '');
  return {
    path,
    name: entry.name ?? manifest.name ?? path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length),
    version,
    license: licenseOf(manifest) ?? entry.license ?? 'NOASSERTION',
    ...(entry.integrity === undefined ? {} : { integrity: entry.integrity }),
    ...(entry.resolved === undefined ? {} : { resolved: entry.resolved }),
    ...(manifest.description === undefined ? {} : { description: manifest.description }),
    people: [...new Set(people)],
    ...repositoryField(manifest),
    keywords: (manifest.keywords ?? []).map((k) => k.toLowerCase()),
    dependsOn,
  };
}

function parseManifest(path: string, raw: unknown): Manifest {
  const parsed = manifestSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new Error(`${path || 'root'}/package.json: ${parsed.error.message}`);
  return parsed.data;
}

function licenseOf(manifest: Manifest): string | undefined {
  if (typeof manifest.license === 'string') return manifest.license;
  if (manifest.license !== undefined) return manifest.license.type;
  const legacy = manifest.licenses?.map((l) => l.type);
  return legacy === undefined || legacy.length === 0 ? undefined : legacy.join(' OR ');
}

function personName(p: Manifest['author']): string | undefined {
  if (p === undefined) return undefined;
  if (typeof p === 'string') return p.replace(/\s*[<(].*$/, '').trim();
  return p.name?.trim();
}

function repositoryField(manifest: Manifest): { repository?: string } {
  const repo = typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url;
  return repo === undefined ? {} : { repository: repo };
}
