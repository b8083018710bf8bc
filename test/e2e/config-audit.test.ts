/**
 * Changes to what a connector enforces between runs — its trust list and its jurisdiction
 * profile — are in its audit trail (issue 5), once per change, not once per start.
 */
import { mkdtempSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPartner, type ConfigOverrides } from '../../src/config/index.js';
import { createConnector } from '../../src/connector/index.js';
import { unwrap } from '../../src/errors/index.js';
import { createLogger } from '../../src/http/index.js';
import { encodeMultikey, MINIMUM_KDF_PARAMS } from '../../src/kms/index.js';

const env = { SOVC_KEYSTORE_PASSPHRASE: 'config audit passphrase', SOVC_ADMIN_TOKEN: 'admin-token-config-audit', SOVC_RESEARCHER_TOKEN: 'researcher-token-config-audit' };

async function runOnce(dataDir: string, overrides: ConfigOverrides = {}) {
  const partner = unwrap(loadPartner('uk', { env, overrides: { dataDir, logLevel: 'silent', ...overrides } }));
  const connector = unwrap(await createConnector({ ...partner, kdf: MINIMUM_KDF_PARAMS, logger: createLogger({ level: 'silent' }) }));
  const entries = (await connector.audit.tail(100)).filter((e) => e.type === 'trustlist.changed' || e.type === 'profile.changed');
  await connector.stop();
  return entries;
}

describe('enforced configuration in the audit trail', () => {
  it('records the trust list and profile on the first run, nothing on an unchanged restart, and a trust-list change', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sovc-config-audit-'));
    const first = await runOnce(dataDir);
    expect(first.map((e) => e.type).sort()).toEqual(['profile.changed', 'trustlist.changed']);

    expect(await runOnce(dataDir)).toEqual(first);

    const registrar = { did: 'did:web:127.0.0.1%3A7202:registrar', keys: [encodeMultikey('Ed25519', randomBytes(32))] };
    const third = await runOnce(dataDir, { trustList: [registrar] });
    const added = third.filter((e) => !first.some((f) => f.seq === e.seq));
    expect(added.map((e) => [e.type, e.details])).toEqual([['trustlist.changed', { registrars: [registrar.did] }]]);
  });
});
