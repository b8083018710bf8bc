import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { integrityHashes, licenseChoice, npmPurl, toCycloneDx } from '../../scripts/supply-chain/cyclonedx.js';
import { readInstalledTree } from '../../scripts/supply-chain/installed-tree.js';
import { loadProductionTree } from '../../scripts/supply-chain/package-tree.js';
import { fixtureSource } from './fixture-tree.js';

const projectDir = join(import.meta.dirname, '..', '..');
const schemaDir = join(import.meta.dirname, 'fixtures', 'cyclonedx');
const options = { timestamp: '2026-11-29T12:00:00.000Z', serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79' };

interface Component {
  name: string;
  group?: string;
  version: string;
  purl: string;
  'bom-ref': string;
  hashes?: { alg: string; content: string }[];
  licenses?: unknown[];
}
interface Bom {
  components: Component[];
  dependencies: { ref: string; dependsOn: string[] }[];
  metadata: { component: { name: string } };
}

/** The official CycloneDX 1.6 JSON schema (vendored copy, see fixtures/cyclonedx/README.md). */
function cycloneDxValidator(): ValidateFunction {
  const ajv = new Ajv({ strict: false, allErrors: true });
  (addFormatsModule as unknown as (a: Ajv) => void)(ajv);
  for (const format of ['iri-reference', 'idn-email']) ajv.addFormat(format, true);
  for (const file of ['spdx.schema.json', 'jsf-0.82.schema.json']) ajv.addSchema(JSON.parse(readFileSync(join(schemaDir, file), 'utf8')));
  return ajv.compile(JSON.parse(readFileSync(join(schemaDir, 'bom-1.6.schema.json'), 'utf8')));
}

/** Every name@version `npm ls --all --omit=dev` reports: npm's own view of the production tree. */
function npmLsProduction(): Set<string> {
  const out = execFileSync('npm', ['ls', '--all', '--omit=dev', '--json'], { cwd: projectDir, encoding: 'utf8', maxBuffer: 64 << 20 });
  const found = new Set<string>();
  const walk = (deps: Record<string, { version?: string; dependencies?: Record<string, unknown> }> | undefined): void => {
    for (const [name, node] of Object.entries(deps ?? {})) {
      if (node.version !== undefined) found.add(`${name}@${node.version}`);
      walk(node.dependencies as Parameters<typeof walk>[0]);
    }
  };
  walk((JSON.parse(out) as { dependencies?: Parameters<typeof walk>[0] }).dependencies);
  return found;
}

describe('CycloneDX SBOM of the production tree', () => {
  let validate: ValidateFunction;
  let bom: Bom;
  beforeAll(() => {
    validate = cycloneDxValidator();
    bom = toCycloneDx(readInstalledTree(projectDir), options) as unknown as Bom;
  });

  it('is valid CycloneDX 1.6 JSON, and the schema does reject a malformed one', () => {
    expect(validate(bom), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const broken = structuredClone(bom);
    (broken.components[0] as Component).hashes = [{ alg: 'SHA512', content: 'xyz' }];
    expect(validate(broken)).toBe(false);
  });

  it('lists sodium-native and jsonld with purls, SHA-512 from the lockfile and licences', () => {
    const find = (purlPrefix: string) => bom.components.find((c) => c.purl.startsWith(purlPrefix));
    const lock = JSON.parse(readFileSync(join(projectDir, 'package-lock.json'), 'utf8')) as { packages: Record<string, { integrity: string }> };
    const sodium = find('pkg:npm/sodium-native@5.');
    expect(sodium?.licenses).toEqual([{ expression: 'MIT' }]);
    expect(sodium?.hashes).toEqual(integrityHashes(lock.packages['node_modules/sodium-native']?.integrity));
    expect(sodium?.hashes?.[0]).toMatchObject({ alg: 'SHA-512', content: expect.stringMatching(/^[0-9a-f]{128}$/) });
    expect(find('pkg:npm/jsonld@9.')?.licenses).toEqual([{ expression: 'BSD-3-Clause' }]);
    expect(find('pkg:npm/%40digitalbazaar/vc@7.')).toMatchObject({ group: '@digitalbazaar', name: 'vc' });
  });

  it('holds exactly the packages npm ls reports for production, including ones shared with dev tools', () => {
    const listed = new Set(bom.components.map((c) => `${c.group === undefined ? '' : `${c.group}/`}${c.name}@${c.version}`));
    expect([...listed].sort()).toEqual([...npmLsProduction()].sort());
    expect(listed).toContain('pg-types@2.2.0');
    expect([...listed].some((p) => p.startsWith('eslint@') || p.startsWith('vitest@'))).toBe(false);
  });

  it('records the dependency graph from the root application to every component', () => {
    const refs = new Set(bom.components.map((c) => c['bom-ref']));
    const reached = new Set<string>();
    const edges = new Map(bom.dependencies.map((d) => [d.ref, d.dependsOn]));
    const queue = [...(edges.get('pkg:npm/sovereign-connector@0.1.0') ?? [])];
    for (let ref = queue.shift(); ref !== undefined; ref = queue.shift()) {
      if (reached.has(ref)) continue;
      reached.add(ref);
      queue.push(...(edges.get(ref) ?? []));
    }
    expect(reached).toEqual(refs);
  });
});

describe('CycloneDX conversion details', () => {
  it('encodes purls per the npm purl type', () => {
    expect(npmPurl('@digitalbazaar/ed25519-multikey', '1.3.1')).toBe('pkg:npm/%40digitalbazaar/ed25519-multikey@1.3.1');
    expect(npmPurl('jsonld', '9.0.0-rc.1+build')).toBe('pkg:npm/jsonld@9.0.0-rc.1%2Bbuild');
  });

  it('keeps SPDX expressions as expressions and other licence text as a name', () => {
    expect(licenseChoice('(MIT AND Zlib)')).toEqual([{ expression: '(MIT AND Zlib)' }]);
    expect(licenseChoice('SEE LICENSE IN LICENSE.md')).toEqual([{ license: { name: 'SEE LICENSE IN LICENSE.md' } }]);
    expect(licenseChoice('NOASSERTION')).toEqual([]);
  });

  it('gives nested duplicate installs distinct bom-refs and a valid document', () => {
    const tree = loadProductionTree(fixtureSource({ a: '^1', c: '^1' }, [
      { path: 'node_modules/a', version: '1.0.0', dependencies: { c: '^1' } },
      { path: 'node_modules/a/node_modules/c', version: '1.0.0' },
      { path: 'node_modules/c', version: '1.0.0' },
    ]));
    const small = toCycloneDx(tree, options) as unknown as Bom;
    expect(new Set(small.components.map((c) => c['bom-ref'])).size).toBe(3);
    expect(small.metadata.component.name).toBe('fixture-connector');
    expect(cycloneDxValidator()(small)).toBe(true);
  });
});
