/**
 * Builds small lockfile + installed-manifest fixtures so the tree walk, the SBOM and the
 * security-critical check can be exercised without touching node_modules.
 */
import { createHash } from 'node:crypto';
import type { TreeSource } from '../../scripts/supply-chain/package-tree.js';
import type { ReviewedList } from '../../scripts/supply-chain/security-critical.js';

export interface FixturePackage {
  readonly path: string;
  readonly version: string;
  readonly license?: string;
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly dev?: boolean;
  readonly optional?: boolean;
  /** False: in the lockfile but not installed (another platform's optional build). */
  readonly installed?: boolean;
  readonly manifest?: Record<string, unknown>;
}

export function fixtureSource(rootDeps: Record<string, string>, packages: readonly FixturePackage[], rootDevDeps: Record<string, string> = {}): TreeSource {
  const lockPackages: Record<string, unknown> = {
    '': { name: 'fixture-connector', version: '1.0.0', license: 'Apache-2.0', dependencies: rootDeps, devDependencies: rootDevDeps },
  };
  const manifests = new Map<string, unknown>([['', { name: 'fixture-connector', version: '1.0.0', license: 'Apache-2.0' }]]);
  for (const p of packages) {
    const name = p.path.slice(p.path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    lockPackages[p.path] = {
      version: p.version,
      resolved: `https://registry.npmjs.org/${name}/-/${name.split('/').pop() ?? name}-${p.version}.tgz`,
      integrity: `sha512-${createHash('sha512').update(`${name}@${p.version}`).digest('base64')}`,
      license: p.license ?? 'MIT',
      ...(p.dependencies === undefined ? {} : { dependencies: p.dependencies }),
      ...(p.optionalDependencies === undefined ? {} : { optionalDependencies: p.optionalDependencies }),
      ...(p.dev === true ? { dev: true } : {}),
      ...(p.optional === true ? { optional: true } : {}),
    };
    if (p.installed !== false) manifests.set(p.path, { name, version: p.version, license: p.license ?? 'MIT', ...p.manifest });
  }
  return { lockfile: { lockfileVersion: 3, packages: lockPackages }, readManifest: (path) => manifests.get(path) };
}

export function reviewed(name: string, major: string, license = 'MIT'): ReviewedList['packages'][number] {
  return { name, major, version: `${major}.0`, license, origin: 'fixture', reviewedOn: '2026-11-29', why: 'fixture' };
}
