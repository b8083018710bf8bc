/**
 * `npm run supply-chain`: lists the installed production packages on the security-critical path
 * (crypto, signatures, JSON-LD canonicalisation, auth, key handling) with licence, maintainers,
 * repository and review status, then runs `npm audit --omit=dev`. Exits 1 when a package on the
 * path is not reviewed at its major version or changed licence, or when the scan finds a high or
 * critical advisory; an unreachable audit endpoint is reported, not failed on. Policy:
 * docs/supply-chain.md. Reads package-lock.json and node_modules only (no registry metadata).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readInstalledTree } from './supply-chain/installed-tree.js';
import { renderCheck, renderScan } from './supply-chain/report-text.js';
import { checkSecurityCriticalPath, reviewedListSchema } from './supply-chain/security-critical.js';
import { blockingVulnerabilities, interpretAudit } from './supply-chain/vulnerability-scan.js';

const projectDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const listFile = join(projectDir, 'supply-chain', 'reviewed-security-critical.json');

const list = reviewedListSchema.parse(JSON.parse(readFileSync(listFile, 'utf8')));
const report = checkSecurityCriticalPath(readInstalledTree(projectDir), list);
console.log(renderCheck(report).join('\n'));

const audit = spawnSync('npm', ['audit', '--omit=dev', '--json'], { cwd: projectDir, encoding: 'utf8', timeout: 120_000 });
const scan = interpretAudit({
  exitCode: audit.status,
  stdout: audit.stdout ?? '',
  stderr: audit.stderr ?? '',
  ...(audit.error === undefined ? {} : { spawnError: audit.error.message }),
});
console.log(['', ...renderScan(scan)].join('\n'));

process.exitCode = report.passed && blockingVulnerabilities(scan).length === 0 ? 0 : 1;
