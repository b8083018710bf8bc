/**
 * Filesystem adapter for the package tree: reads `package-lock.json` and the installed
 * `node_modules/<path>/package.json` files of a project directory. No network, no `npm ls`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadProductionTree, type PackageTree } from './package-tree.js';

export function readInstalledTree(projectDir: string): PackageTree {
  const lockPath = join(projectDir, 'package-lock.json');
  if (!existsSync(lockPath)) throw new Error(`${lockPath} not found: the SBOM is built from the lockfile`);
  return loadProductionTree({
    lockfile: JSON.parse(readFileSync(lockPath, 'utf8')) as unknown,
    readManifest: (path) => {
      const file = join(projectDir, path, 'package.json');
      return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as unknown) : undefined;
    },
  });
}
