/**
 * A crash mid-write leaves a verifiable log (issue 5 "Tests"): a child process is killed
 * with SIGKILL while its transaction holds a state change and its audit entry; the parent
 * then finds neither, a log that verifies, and appends after it as usual.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { testDialects } from '../store/test-databases.js';
import { appendEntries, KEYSTORE_PASSPHRASE, openAuditFixture, sampleEntry, type AuditFixture } from './audit-fixture.js';

const child = fileURLToPath(new URL('./crash-child.ts', import.meta.url));

/** Runs crash-child.ts, waits until it is inside its transaction, kills it, resolves on exit. */
async function killMidTransaction(fixture: AuditFixture): Promise<NodeJS.Signals | null> {
  const env = { ...process.env, CRASH_DATABASE_URL: fixture.url, CRASH_KEYSTORE: fixture.keystorePath, CRASH_PASSPHRASE: KEYSTORE_PASSPHRASE, CRASH_SCHEMA: fixture.schema ?? '' };
  const process_ = spawn(process.execPath, ['--import', 'tsx', child], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => process_.on('exit', (_code, signal) => resolve(signal)));
  for await (const line of createInterface({ input: process_.stdout })) {
    if (line === 'in-transaction') break;
  }
  process_.kill('SIGKILL');
  return exited;
}

describe.each(testDialects)('audit crash safety on $dialect', ({ open }) => {
  let fixture: AuditFixture;
  afterEach(async () => fixture.dispose());

  it('loses the killed transaction whole and keeps a verifiable log', async () => {
    fixture = await openAuditFixture(open);
    await appendEntries(fixture, 5);
    expect(await killMidTransaction(fixture)).toBe('SIGKILL');
    expect(await fixture.db.get('SELECT COUNT(*) AS n FROM agreement')).toEqual({ n: 0 });
    expect(await fixture.audit.verify()).toMatchObject({ verified: true, entries: 5 });
    expect((await fixture.audit.record(sampleEntry(6))).seq).toBe(6);
    expect(await fixture.audit.verify()).toMatchObject({ verified: true, entries: 6 });
  });
});
