/**
 * Plain-text rendering of the supply-chain check for the terminal and CI logs: one row per
 * package on the security-critical path, then the failures by name, then the vulnerability scan.
 */
import type { CheckReport, PathRow } from './security-critical.js';
import { describeFinding } from './security-critical.js';
import { blockingVulnerabilities, type ScanOutcome } from './vulnerability-scan.js';

const MAX_PEOPLE = 3;

function people(row: PathRow): string {
  const all = row.pkg.people;
  if (all.length === 0) return '(none in package.json)';
  const shown = all.slice(0, MAX_PEOPLE).join(', ');
  return all.length > MAX_PEOPLE ? `${shown} +${all.length - MAX_PEOPLE} more` : shown;
}

function reviewedCell(row: PathRow): string {
  if (row.finding === undefined) return `yes (${row.reviewed?.reviewedOn ?? '?'})`;
  return row.finding.kind === 'licence-changed' ? 'NO: licence changed' : row.finding.kind === 'unreviewed' ? 'NO' : 'NO: new major';
}

/** Columns padded to their widest cell so the table reads in a log. */
function table(rows: readonly string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  '));
}

export function renderCheck(report: CheckReport): string[] {
  const header = ['package', 'version', 'licence', 'reviewed', 'maintainers', 'repository'];
  const rows = report.rows.map((r) => [r.pkg.name, r.pkg.version, r.pkg.license, reviewedCell(r), people(r), r.pkg.repository ?? '(none)']);
  const lines = [`Security-critical path: ${report.rows.length} installed production packages`, ...table([header, ...rows])];
  const failures = report.rows.map(describeFinding).filter((f): f is string => f !== undefined);
  if (failures.length > 0) lines.push('', `FAIL: ${failures.length} package(s) need review (supply-chain/reviewed-security-critical.json):`, ...failures.map((f) => `  - ${f}`));
  for (const s of report.stale) lines.push(`note: reviewed ${s.name}@${s.major} is no longer on the path; remove its entry`);
  return lines;
}

export function renderScan(outcome: ScanOutcome): string[] {
  if (outcome.status === 'unavailable') {
    return [`Vulnerability scan (npm audit --omit=dev) could not run: ${outcome.reason}. Not failing on that alone; run it where the registry's audit endpoint answers.`];
  }
  const lines = [`Vulnerability scan (npm audit --omit=dev): ${outcome.vulnerabilities.length} vulnerable package(s)`];
  for (const v of outcome.vulnerabilities) lines.push(`  - ${v.severity}: ${v.name} ${v.range ?? ''} via ${v.via.join('; ')}`);
  const blocking = blockingVulnerabilities(outcome);
  if (blocking.length > 0) lines.push(`FAIL: ${blocking.length} high/critical: ${blocking.map((v) => v.name).join(', ')}`);
  return lines;
}
