import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readInstalledTree } from '../../scripts/supply-chain/installed-tree.js';
import { loadProductionTree } from '../../scripts/supply-chain/package-tree.js';
import { renderCheck } from '../../scripts/supply-chain/report-text.js';
import {
  checkSecurityCriticalPath,
  describeFinding,
  majorOf,
  reviewedListSchema,
  type ReviewedList,
} from '../../scripts/supply-chain/security-critical.js';
import { fixtureSource, reviewed } from './fixture-tree.js';

const projectDir = join(import.meta.dirname, '..', '..');
const repoList = reviewedListSchema.parse(
  JSON.parse(readFileSync(join(projectDir, 'supply-chain', 'reviewed-security-critical.json'), 'utf8')),
);

/** A connector with one crypto root (and its helper), a web framework, and a reviewed list for it. */
function baseline() {
  const source = fixtureSource({ 'sodium-native': '^5', express: '^5' }, [
    { path: 'node_modules/sodium-native', version: '5.1.0', dependencies: { 'which-runtime': '^1' } },
    { path: 'node_modules/which-runtime', version: '1.4.0', license: 'Apache-2.0' },
    { path: 'node_modules/express', version: '5.3.0', dependencies: { debug: '^4' } },
    { path: 'node_modules/debug', version: '4.4.3' },
  ]);
  const list: ReviewedList = {
    criteria: repoList.criteria,
    packages: [reviewed('sodium-native', '5'), reviewed('which-runtime', '1', 'Apache-2.0')],
  };
  return { tree: loadProductionTree(source), list };
}

describe('security-critical path check', () => {
  it('passes on the connector as installed, with every package on the path reviewed', () => {
    const report = checkSecurityCriticalPath(readInstalledTree(projectDir), repoList);
    expect(report.rows.map(describeFinding).filter(Boolean)).toEqual([]);
    expect(report.passed).toBe(true);
    const onPath = new Set(report.rows.map((r) => r.pkg.name));
    for (const name of ['sodium-native', 'libsodium-wrappers-sumo', 'jsonld', 'rdf-canonize', '@digitalbazaar/vc', 'did-resolver', 'base58-universal']) {
      expect(onPath).toContain(name);
    }
    expect(onPath).not.toContain('express');
  });

  it('takes the roots and their transitive dependencies, not unrelated packages', () => {
    const { tree, list } = baseline();
    const report = checkSecurityCriticalPath(tree, list);
    expect(report.passed).toBe(true);
    expect(report.rows.map((r) => [r.pkg.name, r.because])).toEqual([
      ['sodium-native', 'root sodium-native'],
      ['which-runtime', 'dependency of sodium-native'],
    ]);
  });

  it('fails and names a new unreviewed package on the path, whether matched by name, keyword or as a dependency', () => {
    const { list } = baseline();
    const patched = loadProductionTree(fixtureSource({ 'sodium-native': '^5', jose: '^6', 'tiny-box': '^1' }, [
      { path: 'node_modules/sodium-native', version: '5.1.0', dependencies: { 'which-runtime': '^1' } },
      { path: 'node_modules/which-runtime', version: '1.4.0', license: 'Apache-2.0', dependencies: { 'sneaky-helper': '^0.1' } },
      { path: 'node_modules/which-runtime/node_modules/sneaky-helper', version: '0.1.0' },
      { path: 'node_modules/jose', version: '6.0.0' },
      { path: 'node_modules/tiny-box', version: '1.0.0', manifest: { keywords: ['Cryptography'] } },
    ]));
    const report = checkSecurityCriticalPath(patched, list);
    expect(report.passed).toBe(false);
    const failures = report.rows.map(describeFinding).filter(Boolean);
    expect(failures).toEqual([
      'jose@6.0.0 (node_modules/jose, name matches /jose/): not on the reviewed list',
      'sneaky-helper@0.1.0 (node_modules/which-runtime/node_modules/sneaky-helper, dependency of which-runtime): not on the reviewed list',
      'tiny-box@1.0.0 (node_modules/tiny-box, keyword "cryptography"): not on the reviewed list',
    ]);
    expect(renderCheck(report).join('\n')).toMatch(/FAIL: 3 package\(s\) need review/);
  });

  it('fails on a new major version of a reviewed package but accepts minor and patch updates', () => {
    const bumped = (version: string) =>
      loadProductionTree(fixtureSource({ 'sodium-native': '*' }, [{ path: 'node_modules/sodium-native', version }]));
    const { list } = baseline();
    expect(checkSecurityCriticalPath(bumped('5.9.2'), list).passed).toBe(true);
    const report = checkSecurityCriticalPath(bumped('6.0.0'), list);
    expect(report.passed).toBe(false);
    expect(describeFinding(report.rows[0]!)).toMatch(/^sodium-native@6\.0\.0 .*reviewed only at major 5, installed major 6$/);
    expect([majorOf('0.8.4'), majorOf('0.9.0'), majorOf('12.3.4')]).toEqual(['0.8', '0.9', '12']);
  });

  it('fails when a reviewed package changes licence', () => {
    const source = fixtureSource({ 'sodium-native': '^5' }, [
      { path: 'node_modules/sodium-native', version: '5.2.0', license: 'BUSL-1.1', dependencies: { 'which-runtime': '^1' } },
      { path: 'node_modules/which-runtime', version: '1.4.0', license: 'Apache-2.0' },
    ]);
    const report = checkSecurityCriticalPath(loadProductionTree(source), baseline().list);
    expect(report.passed).toBe(false);
    expect(report.rows.map(describeFinding).filter(Boolean)).toEqual([
      'sodium-native@5.2.0 (node_modules/sodium-native, root sodium-native): licence is "BUSL-1.1", reviewed as "MIT"',
    ]);
  });

  it('reports reviewed entries that left the path without failing', () => {
    const { tree, list } = baseline();
    const report = checkSecurityCriticalPath(tree, { ...list, packages: [...list.packages, reviewed('jsonld', '8', 'BSD-3-Clause')] });
    expect(report.passed).toBe(true);
    expect(report.stale.map((s) => `${s.name}@${s.major}`)).toEqual(['jsonld@8']);
  });

  it('prints licence, maintainers and repository for each package on the path', () => {
    const report = checkSecurityCriticalPath(readInstalledTree(projectDir), repoList);
    const row = renderCheck(report).find((l) => l.startsWith('sodium-native '));
    expect(row).toMatch(/5\.\d+\.\d+\s+MIT\s+yes \(2026-11-29\)\s+Emil Bay.*github\.com\/holepunchto\/sodium-native/);
  });
});
