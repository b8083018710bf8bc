import { chmodSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ensureSecrets, type ConnectorSecrets } from '../../src/config/index.js';

function freshDataDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'sovc-secrets-')), '.data', 'uk');
}

function secretsOf(dataDir: string, env: Record<string, string> = {}): ConnectorSecrets {
  const result = ensureSecrets(dataDir, env);
  if (!result.ok) throw new Error(result.detail);
  return result.value;
}

describe('ensureSecrets', () => {
  it('generates random secrets on first run, in 0600 files under <dataDir>/secrets', () => {
    const dataDir = freshDataDir();
    const secrets = secretsOf(dataDir);
    const adminPath = join(dataDir, 'secrets', 'admin-token');
    expect(secrets.adminToken.where()).toBe(adminPath);
    expect(secrets.adminToken.origin).toEqual({ kind: 'file', path: adminPath, created: true });
    for (const name of ['admin-token', 'researcher-token', 'keystore-passphrase']) {
      expect(statSync(join(dataDir, 'secrets', name)).mode & 0o777).toBe(0o600);
    }
    expect(secrets.adminToken.reveal()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const values = new Set([secrets.adminToken, secrets.researcherToken, secrets.keystorePassphrase].map((s) => s.reveal()));
    expect(values.size).toBe(3);
    expect(readFileSync(adminPath, 'utf8').trim()).toBe(secrets.adminToken.reveal());
  });

  it('reuses the same secrets on the next run instead of generating new ones', () => {
    const dataDir = freshDataDir();
    const first = secretsOf(dataDir);
    const second = secretsOf(dataDir);
    expect(second.adminToken.reveal()).toBe(first.adminToken.reveal());
    expect(second.keystorePassphrase.reveal()).toBe(first.keystorePassphrase.reveal());
    expect(second.adminToken.origin).toMatchObject({ kind: 'file', created: false });
  });

  it('keeps the secrets folder out of git with its own .gitignore', () => {
    const dataDir = freshDataDir();
    secretsOf(dataDir);
    expect(readFileSync(join(dataDir, 'secrets', '.gitignore'), 'utf8')).toBe('*\n');
  });

  it('prefers the environment and then writes no file for that secret', () => {
    const dataDir = freshDataDir();
    const env = { SOVC_ADMIN_TOKEN: 'admin-token-from-env-0123456789', SOVC_KEYSTORE_PASSPHRASE: 'a passphrase from the env' };
    const secrets = secretsOf(dataDir, env);
    expect(secrets.adminToken.reveal()).toBe(env.SOVC_ADMIN_TOKEN);
    expect(secrets.adminToken.where()).toBe('environment variable SOVC_ADMIN_TOKEN');
    expect(readdirSync(join(dataDir, 'secrets')).sort()).toEqual(['.gitignore', 'researcher-token']);
  });

  it('creates nothing on disk when the environment supplies every secret', () => {
    const dataDir = freshDataDir();
    secretsOf(dataDir, {
      SOVC_ADMIN_TOKEN: 'admin-token-from-env-0123456789',
      SOVC_RESEARCHER_TOKEN: 'researcher-token-from-env-0123',
      SOVC_KEYSTORE_PASSPHRASE: 'a passphrase from the env',
    });
    expect(() => statSync(dataDir)).toThrow();
  });

  it('refuses a secret file other users can read, naming the file and the fix', () => {
    const dataDir = freshDataDir();
    secretsOf(dataDir);
    const path = join(dataDir, 'secrets', 'admin-token');
    chmodSync(path, 0o644);
    const result = ensureSecrets(dataDir, {});
    expect(result).toMatchObject({ ok: false, code: 'SOV_CONFIG_SECRET_INSECURE' });
    expect(!result.ok && result.detail).toBe(`${path} is accessible to other users (mode 0644); run: chmod 600 ${path}`);
  });

  it('refuses weak secrets from the environment or a file', () => {
    expect(ensureSecrets(freshDataDir(), { SOVC_ADMIN_TOKEN: 'short' })).toMatchObject({
      ok: false,
      code: 'SOV_CONFIG_SECRET_INSECURE',
      detail: 'SOVC_ADMIN_TOKEN is shorter than 16 characters',
    });
    const dataDir = freshDataDir();
    secretsOf(dataDir);
    writeFileSync(join(dataDir, 'secrets', 'researcher-token'), '\n');
    expect(ensureSecrets(dataDir, {})).toMatchObject({ ok: false, code: 'SOV_CONFIG_SECRET_INSECURE' });
  });

  it('never writes secrets inside connectors/', () => {
    const root = mkdtempSync(join(tmpdir(), 'sovc-secrets-'));
    const result = ensureSecrets(join(root, 'connectors', 'uk'), {});
    expect(result).toMatchObject({ ok: false, code: 'SOV_CONFIG_SECRET_LOCATION' });
    expect(() => statSync(join(root, 'connectors'))).toThrow();
  });

  it('does not print secret values when logged or serialised', () => {
    const secrets = secretsOf(freshDataDir());
    const token = secrets.adminToken.reveal();
    expect(JSON.stringify(secrets)).not.toContain(token);
    expect(inspect(secrets)).not.toContain(token);
    expect(`${secrets.adminToken}`).toBe('[secret]');
  });
});
