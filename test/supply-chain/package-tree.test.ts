import { describe, expect, it } from 'vitest';
import { loadProductionTree } from '../../scripts/supply-chain/package-tree.js';
import { fixtureSource } from './fixture-tree.js';

const names = (source: ReturnType<typeof fixtureSource>): string[] =>
  [...loadProductionTree(source).packages.values()].map((p) => `${p.name}@${p.version}`).sort();

describe('production package tree from package-lock.json', () => {
  it('follows production edges, resolving the nearest nested copy before the hoisted one', () => {
    const source = fixtureSource({ a: '^1.0.0', b: '^1.0.0' }, [
      { path: 'node_modules/a', version: '1.0.0', dependencies: { c: '^2.0.0' } },
      { path: 'node_modules/a/node_modules/c', version: '2.0.0' },
      { path: 'node_modules/b', version: '1.0.0', dependencies: { c: '^1.0.0' } },
      { path: 'node_modules/c', version: '1.0.0' },
    ]);
    const tree = loadProductionTree(source);
    expect(tree.packages.get('node_modules/a')?.dependsOn).toEqual(['node_modules/a/node_modules/c']);
    expect(tree.packages.get('node_modules/b')?.dependsOn).toEqual(['node_modules/c']);
    expect(names(source)).toEqual(['a@1.0.0', 'b@1.0.0', 'c@1.0.0', 'c@2.0.0']);
  });

  it('leaves out dev-only packages but keeps one that production and dev share', () => {
    const source = fixtureSource({ pg: '^8' }, [
      { path: 'node_modules/pg', version: '8.0.0', dependencies: { 'pg-types': '^2' } },
      { path: 'node_modules/pg-types', version: '2.2.0' },
      { path: 'node_modules/@types/pg', version: '8.0.0', dev: true, dependencies: { 'pg-types': '^2' } },
      { path: 'node_modules/eslint', version: '9.0.0', dev: true },
    ], { '@types/pg': '^8', eslint: '^9' });
    expect(names(source)).toEqual(['pg-types@2.2.0', 'pg@8.0.0']);
  });

  it('skips optional packages that are not installed and fails on a missing required one', () => {
    const optional = fixtureSource({ libsql: '^0.5' }, [
      { path: 'node_modules/libsql', version: '0.5.0', optionalDependencies: { '@libsql/darwin-arm64': '0.5.0' } },
      { path: 'node_modules/@libsql/darwin-arm64', version: '0.5.0', optional: true, installed: false },
    ]);
    expect(names(optional)).toEqual(['libsql@0.5.0']);
    const missing = fixtureSource({ a: '^1' }, [{ path: 'node_modules/a', version: '1.0.0', dependencies: { gone: '^1' } }]);
    expect(() => loadProductionTree(missing)).toThrow(/node_modules\/a depends on gone/);
  });

  it('reads licence, people, repository and keywords from the installed package.json', () => {
    const source = fixtureSource({ s: '^1' }, [
      {
        path: 'node_modules/s',
        version: '1.0.0',
        license: 'ISC',
        manifest: {
          author: 'Frank Denis <j@example.org> (https://example.org)',
          contributors: [{ name: 'Ryan Lester' }, 'Frank Denis'],
          repository: { type: 'git', url: 'git+https://example.org/s.git' },
          keywords: ['Crypto'],
        },
      },
    ]);
    const pkg = loadProductionTree(source).packages.get('node_modules/s');
    expect(pkg).toMatchObject({ license: 'ISC', people: ['Frank Denis', 'Ryan Lester'], repository: 'git+https://example.org/s.git', keywords: ['crypto'] });
  });
});
