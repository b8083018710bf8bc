/**
 * `sovc compliance report` on a connector data directory as the connector leaves it
 * (connector.db, keystore.sealed): writes the signed pack and its HTML, prints where, and the
 * written JSON verifies as an evidence pack.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complianceReport, register } from '../../src/cli/commands/compliance.js';
import type { CliIo } from '../../src/cli/commands/did.js';
import { SimulatedClock } from '../../src/clock/index.js';
import { verifyEvidencePack } from '../../src/compliance/index.js';
import { verifySignature } from '../../src/kms/index.js';
import { loaderFor } from '../identity/support/web.js';
import { openRun, PASSPHRASE, script, SINCE, UK_BASE, type ScriptedRun } from './scripted-run.js';

let run: ScriptedRun;
let printed: string[] = [];
const io: CliIo = { env: { SOVC_KEYSTORE_PASSPHRASE: PASSPHRASE }, out: (text) => printed.push(text) };

beforeAll(async () => {
  run = await openRun(mkdtempSync(join(tmpdir(), 'sov-compliance-cli-')));
  await script(run);
  await run.db.close();
  run.kms.close();
});
afterAll(() => rmSync(run.dir, { recursive: true, force: true }));

describe('sovc compliance report', () => {
  it('writes the signed JSON and the HTML where asked, prints both paths, and the JSON verifies', async () => {
    const out = join(run.dir, 'out', 'pack.json');
    const html = join(run.dir, 'out', 'pack.html');
    printed = [];
    await complianceReport({ dataDir: run.dir, baseUrl: UK_BASE, profile: 'uk', since: SINCE, out, html }, io);
    expect(printed).toContain(`JSON (verifiable credential): ${out}`);
    expect(printed).toContain(`HTML: ${html}`);
    expect(printed[0]).toMatch(/3 transfers out, 2 refusals, 1 key events, 1 receipts, 0 anomalies/);
    expect(readFileSync(html, 'utf8')).toContain('Compliance evidence pack');
    const verified = await verifyEvidencePack(JSON.parse(readFileSync(out, 'utf8')), { documentLoader: loaderFor(run.web, run.clock), clock: new SimulatedClock(Date.now()), verifySignature });
    expect(verified.errors).toEqual([]);
  });

  it('--partner filters and files default to <data dir>/reports', async () => {
    printed = [];
    const files = await complianceReport({ dataDir: run.dir, baseUrl: UK_BASE, profile: 'uk', since: SINCE, partner: 'eu' }, io);
    expect(files.json.startsWith(join(run.dir, 'reports'))).toBe(true);
    expect(existsSync(files.json) && existsSync(files.html)).toBe(true);
    expect(printed[0]).toMatch(/1 transfers out, 1 refusals/);
  });

  it('refuses without a profile, and with an unknown one', async () => {
    await expect(complianceReport({ dataDir: run.dir, baseUrl: UK_BASE, since: SINCE }, io)).rejects.toThrow(/SOV_BAD_REQUEST/);
    await expect(complianceReport({ dataDir: run.dir, baseUrl: UK_BASE, profile: 'zz', since: SINCE }, io)).rejects.toThrow(/SOV_COMPLIANCE_PROFILE_MISSING/);
  });

  it('is registered as `compliance report` with a required --since', () => {
    const program = new Command();
    register(program);
    const report = program.commands.find((c) => c.name() === 'compliance')?.commands.find((c) => c.name() === 'report');
    expect(report?.options.find((o) => o.long === '--since')?.mandatory).toBe(true);
  });
});
