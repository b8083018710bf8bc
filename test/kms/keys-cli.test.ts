import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../src/clock/index.js';
import { DomainError } from '../../src/errors/index.js';
import { createFileKms, MINIMUM_KDF_PARAMS, openKms, type KeyInfo } from '../../src/kms/index.js';
import { keysDestroy, keysList, keysRotate, type KeysIo } from '../../src/cli/commands/keys.js';

const PASSPHRASE = 'a passphrase of some length';

async function dataDirWithKeystore(): Promise<{ dataDir: string; dataKeyId: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sovc-keys-'));
  mkdirSync(join(dataDir, 'secrets'));
  writeFileSync(join(dataDir, 'secrets', 'keystore-passphrase'), `${PASSPHRASE}\n`, { mode: 0o600 });
  const kms = await createFileKms({ path: join(dataDir, 'keystore.sealed'), passphrase: PASSPHRASE, clock: new SimulatedClock(), kdf: MINIMUM_KDF_PARAMS });
  if (!kms.ok) throw new Error(kms.detail);
  const dek = await kms.value.createDataKey('dataset-a');
  kms.value.close();
  return { dataDir, dataKeyId: dek.keyId };
}

function fakeIo(answers: string[] = [], isInteractive = true): KeysIo & { lines: string[]; questions: string[] } {
  const lines: string[] = [];
  const questions: string[] = [];
  return {
    env: {}, lines, questions, isInteractive,
    out: (text) => lines.push(text),
    ask: async (question) => {
      questions.push(question);
      return answers.shift() ?? '';
    },
  };
}

async function statusOf(dataDir: string, keyId: string): Promise<string | undefined> {
  const kms = await openKms({ path: join(dataDir, 'keystore.sealed'), passphrase: PASSPHRASE, clock: new SimulatedClock() });
  if (!kms.ok) throw new Error(kms.detail);
  return kms.value.listKeys().find((k) => k.keyId === keyId)?.status;
}

describe('sovc keys', () => {
  it('lists keys as a table, or as JSON for scripts, reading the passphrase file', async () => {
    const { dataDir, dataKeyId } = await dataDirWithKeystore();
    const io = fakeIo();
    await keysList({ dataDir }, io);
    expect(io.lines[0]).toMatch(/^KEY ID\s+KIND\s+ALGORITHM\s+STATUS/);
    expect(io.lines[0]).toContain(dataKeyId);
    await keysList({ dataDir, json: true }, io);
    const listed = JSON.parse(io.lines[1] as string) as KeyInfo[];
    expect(listed.map((k) => k.keyId)).toEqual(['sig-1', 'enc-1', 'root-1', dataKeyId]);
  });

  it('destroys a data key only after the operator types its id', async () => {
    const { dataDir, dataKeyId } = await dataDirWithKeystore();
    const mistyped = fakeIo(['dek-something-else']);
    await expect(keysDestroy(dataKeyId, { dataDir }, mistyped)).rejects.toThrow(/nothing was destroyed/);
    expect(mistyped.questions[0]).toContain(dataKeyId);
    expect(await statusOf(dataDir, dataKeyId)).toBe('active');
    const confirmed = fakeIo([dataKeyId]);
    await keysDestroy(dataKeyId, { dataDir, json: true }, confirmed);
    expect(JSON.parse(confirmed.lines[0] as string)).toMatchObject({ keyId: dataKeyId, status: 'destroyed' });
    expect(await statusOf(dataDir, dataKeyId)).toBe('destroyed');
  });

  it('refuses to destroy without a terminal unless --yes is given', async () => {
    const { dataDir, dataKeyId } = await dataDirWithKeystore();
    const refused = keysDestroy(dataKeyId, { dataDir }, fakeIo([], false));
    await expect(refused).rejects.toBeInstanceOf(DomainError);
    await expect(refused).rejects.toMatchObject({ failure: { code: 'SOV_KMS_CONFIRMATION_REQUIRED' } });
    expect(await statusOf(dataDir, dataKeyId)).toBe('active');
    await keysDestroy(dataKeyId, { dataDir, yes: true }, fakeIo([], false));
    expect(await statusOf(dataDir, dataKeyId)).toBe('destroyed');
  });

  it('rotates the signing key, then destroys the retired one but never the active one', async () => {
    const { dataDir } = await dataDirWithKeystore();
    await keysRotate('signing', { dataDir }, fakeIo());
    await expect(keysDestroy('sig-2', { dataDir, yes: true }, fakeIo())).rejects.toMatchObject({ failure: { code: 'SOV_KMS_KEY_IN_USE' } });
    await keysDestroy('sig-1', { dataDir, yes: true }, fakeIo());
    expect(await statusOf(dataDir, 'sig-1')).toBe('destroyed');
    expect(await statusOf(dataDir, 'sig-2')).toBe('active');
  });

  it('takes the passphrase from SOVC_KEYSTORE_PASSPHRASE and reports a wrong one', async () => {
    const { dataDir } = await dataDirWithKeystore();
    const io = { ...fakeIo(), env: { SOVC_KEYSTORE_PASSPHRASE: 'not the passphrase at all' } };
    await expect(keysList({ dataDir }, io)).rejects.toMatchObject({ failure: { code: 'SOV_KMS_WRONG_PASSPHRASE' } });
  });

  it('runs as `sovc keys destroy` and exits non-zero with a one-line reason when it cannot confirm', async () => {
    const { dataDir, dataKeyId } = await dataDirWithKeystore();
    const run = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'keys', 'destroy', dataKeyId, '--data-dir', dataDir], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SOVC_KEYSTORE_PASSPHRASE: '' },
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(`sovc: destroying ${dataKeyId} cannot be undone; without a terminal, pass --yes (SOV_KMS_CONFIRMATION_REQUIRED)`);
    expect(await statusOf(dataDir, dataKeyId)).toBe('active');
  });
});
