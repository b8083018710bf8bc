/**
 * `npm run sbom`: writes a CycloneDX 1.6 JSON SBOM of the connector's installed production
 * dependency tree to `sbom/connector.cdx.json` (or the path given as the first argument) and
 * prints that path. Offline: it reads package-lock.json and node_modules only.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toCycloneDx } from './supply-chain/cyclonedx.js';
import { readInstalledTree } from './supply-chain/installed-tree.js';

const projectDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const output = resolve(process.argv[2] ?? join(projectDir, 'sbom', 'connector.cdx.json'));

const tree = readInstalledTree(projectDir);
const bom = toCycloneDx(tree, { timestamp: new Date().toISOString(), serialNumber: `urn:uuid:${randomUUID()}` });
mkdirSync(dirname(output), { recursive: true });
writeFileSync(output, `${JSON.stringify(bom, null, 2)}\n`);
console.log(`CycloneDX 1.6 SBOM: ${tree.packages.size} production packages → ${output}`);
