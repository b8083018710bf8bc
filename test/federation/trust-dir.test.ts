import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTrustDir } from '../../src/federation/index.js';

describe('SOVC_TRUST_DIR: registrar trust entries published by partners running elsewhere', () => {
  it('reads every entry, in name order, and nothing when unset', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sovc-trust-dir-'));
    const eu = { did: 'did:web:127.0.0.1%3A7202:registrar', keys: ['z6MkeuKey'], credentialTypes: ['FederationMembershipCredential'] };
    const ca = { did: 'did:web:127.0.0.1%3A7302:registrar', keys: ['z6MkcaKey'], credentialTypes: ['FederationMembershipCredential'] };
    writeFileSync(join(dir, 'eu.json'), JSON.stringify(eu));
    writeFileSync(join(dir, 'ca.json'), JSON.stringify(ca));
    writeFileSync(join(dir, 'README.txt'), 'not an entry');
    const read = readTrustDir(dir);
    expect(read.ok && read.value).toEqual([ca, eu]);
    expect(readTrustDir(undefined)).toEqual({ ok: true, value: [] });
  });

  it('names the file that is not JSON, and a folder that cannot be read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sovc-trust-dir-'));
    writeFileSync(join(dir, 'uk.json'), '{ not json');
    const bad = readTrustDir(dir);
    expect(!bad.ok && bad.detail).toContain(join(dir, 'uk.json'));
    const missing = readTrustDir(join(dir, 'nowhere'));
    expect(!missing.ok && missing.code).toBe('SOV_CONFIG_INVALID');
  });
});
