import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keysDestroy, keysRotate } from '../../src/cli/commands/keys.js';
import { auditTail, auditVerify } from '../../src/cli/commands/audit.js';
import { testConnector } from '../support/partners.js';

describe('sovc keys on a connector data dir', () => {
  it('records rotations and destructions in the connector audit trail, which still verifies', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sovc-keys-audit-'));
    const connector = await testConnector('uk', { dataDir });
    await connector.stop();
    const printed: string[] = [];
    const io = { env: { SOVC_KEYSTORE_PASSPHRASE: 'test passphrase for uk' }, out: (text: string) => printed.push(text), isInteractive: false, ask: async () => '' };

    await keysRotate('signing', { dataDir }, io);
    await keysDestroy('sig-1', { dataDir, yes: true }, io);
    printed.length = 0;
    await auditTail(2, { dataDir, json: true }, io);
    const entries = JSON.parse(printed.join('\n')) as Array<{ type: string; actor: string; subjects: string[] }>;
    expect(entries.map((e) => [e.type, e.actor, e.subjects[0]])).toEqual([
      ['key.rotated', 'admin:cli', 'sig-2'],
      ['key.destroyed', 'admin:cli', 'sig-1'],
    ]);
    printed.length = 0;
    await auditVerify({ dataDir, json: true }, io);
    expect(JSON.parse(printed.join('\n'))).toMatchObject({ verified: true });
  });
});
