/**
 * Converts the installed production tree into a CycloneDX 1.6 JSON SBOM (ECMA-424 /
 * https://cyclonedx.org/docs/1.6/json/): one `library` component per installed package with its
 * package URL (purl-spec `npm` type: `pkg:npm/%40scope/name@version`), declared licence, the
 * lockfile's integrity digest as a hash, its repository and tarball, plus the dependency graph.
 * We build it ourselves rather than with `npm sbom`, which (npm 11.19) drops packages that the
 * production and dev trees share (pg-types, debug …), or `@cyclonedx/cyclonedx-npm`, which adds
 * 177 dev packages and a native libxml2 build to every `npm ci` (see docs/supply-chain.md).
 */
import type { InstalledPackage, PackageTree } from './package-tree.js';

export const SPEC_VERSION = '1.6';

export interface BomOptions {
  /** RFC 3339 time the SBOM was made (injected so tests are deterministic). */
  readonly timestamp: string;
  /** `urn:uuid:…`, unique per generated BOM (CycloneDX §serialNumber). */
  readonly serialNumber: string;
}

type Json = Record<string, unknown>;

/** npm purl: the scope's `@` is percent-encoded, name and version are path-escaped. */
export function npmPurl(name: string, version: string): string {
  const [scope, bare] = name.startsWith('@') ? splitScope(name) : [undefined, name];
  const namespace = scope === undefined ? '' : `${encodeURIComponent(scope)}/`;
  return `pkg:npm/${namespace}${encodeURIComponent(bare)}@${encodeURIComponent(version)}`;
}

function splitScope(name: string): [string, string] {
  const slash = name.indexOf('/');
  if (slash < 0) throw new Error(`invalid scoped package name ${name}`);
  return [name.slice(0, slash), name.slice(slash + 1)];
}

/** `sha512-<base64>` (SRI) → CycloneDX hash objects with hex content. */
export function integrityHashes(integrity: string | undefined): Json[] {
  const algs: Record<string, string> = { sha512: 'SHA-512', sha384: 'SHA-384', sha256: 'SHA-256', sha1: 'SHA-1' };
  return (integrity ?? '')
    .split(/\s+/)
    .filter((token) => token.includes('-'))
    .flatMap((token) => {
      const dash = token.indexOf('-');
      const alg = algs[token.slice(0, dash)];
      const hex = Buffer.from(token.slice(dash + 1), 'base64').toString('hex');
      return alg === undefined ? [] : [{ alg, content: hex }];
    });
}

/**
 * SPDX expressions go in `expression` (valid for single ids too, and needs no copy of the SPDX
 * id list); anything else (`SEE LICENSE IN …`) is kept verbatim as a licence name.
 */
export function licenseChoice(license: string): Json[] {
  if (license === 'NOASSERTION') return [];
  const spdxLike = /^\(?[A-Za-z0-9.+-]+(\s+(AND|OR|WITH)\s+\(?[A-Za-z0-9.+-]+\)?)*\)?$/.test(license);
  return spdxLike ? [{ expression: license }] : [{ license: { name: license } }];
}

function component(pkg: InstalledPackage): Json {
  const scoped = pkg.name.startsWith('@') ? splitScope(pkg.name) : undefined;
  const refs: Json[] = [];
  if (pkg.repository !== undefined) refs.push({ type: 'vcs', url: pkg.repository });
  if (pkg.resolved !== undefined) refs.push({ type: 'distribution', url: pkg.resolved });
  const hashes = integrityHashes(pkg.integrity);
  const licenses = licenseChoice(pkg.license);
  return {
    type: 'library',
    'bom-ref': bomRef(pkg),
    ...(scoped === undefined ? { name: pkg.name } : { group: scoped[0], name: scoped[1] }),
    version: pkg.version,
    ...(pkg.description === undefined ? {} : { description: pkg.description }),
    ...(pkg.people[0] === undefined ? {} : { author: pkg.people[0] }),
    scope: 'required',
    ...(hashes.length === 0 ? {} : { hashes }),
    ...(licenses.length === 0 ? {} : { licenses }),
    purl: npmPurl(pkg.name, pkg.version),
    ...(refs.length === 0 ? {} : { externalReferences: refs }),
    properties: [{ name: 'cdx:npm:package:path', value: pkg.path }],
  };
}

/** Unique per install path: the same name@version may be installed twice (nested copies). */
function bomRef(pkg: InstalledPackage): string {
  return `${npmPurl(pkg.name, pkg.version)}#${pkg.path}`;
}

/** The SBOM of the tree: root application component, libraries, dependency graph. */
export function toCycloneDx(tree: PackageTree, options: BomOptions): Json {
  const rootRef = npmPurl(tree.root.name, tree.root.version);
  const refOf = (path: string): string => bomRef(tree.packages.get(path) as InstalledPackage);
  const packages = [...tree.packages.values()];
  return {
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: SPEC_VERSION,
    serialNumber: options.serialNumber,
    version: 1,
    metadata: {
      timestamp: options.timestamp,
      lifecycles: [{ phase: 'build' }],
      tools: { components: [{ type: 'application', name: 'scripts/sbom.ts', description: 'package-lock.json + installed package.json files' }] },
      component: {
        type: 'application',
        'bom-ref': rootRef,
        name: tree.root.name,
        version: tree.root.version,
        licenses: licenseChoice(tree.root.license),
        purl: rootRef,
      },
    },
    components: packages.map(component),
    dependencies: [
      { ref: rootRef, dependsOn: [...new Set(tree.root.dependsOn.map(refOf))] },
      ...packages.map((pkg) => ({ ref: bomRef(pkg), dependsOn: [...new Set(pkg.dependsOn.map(refOf))] })),
    ],
  };
}
