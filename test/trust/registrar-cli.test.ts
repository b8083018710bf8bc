import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registrarAccredit, registrarList, registrarRevoke, registrarShow } from '../../src/cli/commands/registrar.js';
import { SimulatedClock } from '../../src/clock/index.js';
import { DomainError } from '../../src/errors/index.js';
import { MINIMUM_KDF_PARAMS } from '../../src/kms/index.js';
import { openRegistrarDataDir } from '../../src/trust/index.js';
import { tempDir } from './support/federation.js';

const SUBJECT = 'did:web:127.0.0.1%3A7101';

/** A registrar created with the cheapest Argon2id cost, then driven through the CLI functions. */
async function initialisedDataDir(): Promise<string> {
  const dataDir = tempDir('cli');
  const opened = await openRegistrarDataDir({ dataDir, baseUrl: 'http://127.0.0.1:7102/registrar', clock: new SimulatedClock(), create: true, kdf: MINIMUM_KDF_PARAMS });
  if (!opened.ok) throw new Error(opened.detail);
  opened.value.close();
  return dataDir;
}

function capture(): { io: { env: Record<string, string | undefined>; out(text: string): void }; lines: string[] } {
  const lines: string[] = [];
  return { io: { env: {}, out: (text) => lines.push(text) }, lines };
}

const accreditFlags = (dataDir: string) => ({
  dataDir,
  subject: SUBJECT,
  legalName: 'Office for National Statistics',
  registration: 'GB-ONS-001',
  jurisdiction: 'UK',
  subdivision: 'GB-WLS',
  roles: 'provider,consumer',
});

describe('sovc registrar', () => {
  it('shows the registrar DID (path-based did:web) and the trust-list entry to pin', async () => {
    const dataDir = await initialisedDataDir();
    const { io, lines } = capture();
    await registrarShow({ dataDir }, io);
    expect(lines[0]).toBe('registrar DID: did:web:127.0.0.1%3A7102:registrar');
    expect(lines[1]).toBe('DID document:  http://127.0.0.1:7102/registrar/did.json');
    const entry = JSON.parse(lines.slice(3).join('\n')) as { did: string; keys: string[] };
    expect(entry.did).toBe('did:web:127.0.0.1%3A7102:registrar');
    expect(entry.keys[0]).toMatch(/^z6Mk[1-9A-HJ-NP-Za-km-z]{44}$/);
  });

  it('accredits a member, prints the credential id, writes the credential, then revokes it', async () => {
    const dataDir = await initialisedDataDir();
    const out = join(dataDir, 'membership.json');
    const { io, lines } = capture();
    await registrarAccredit({ ...accreditFlags(dataDir), maxClassification: 'OFFICIAL', out }, io);
    const credentialId = lines[0] ?? '';
    expect(credentialId).toMatch(/^urn:uuid:/);
    const credential = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
    expect(credential).toMatchObject({
      id: credentialId,
      type: ['VerifiableCredential', 'FederationMembershipCredential'],
      issuer: 'did:web:127.0.0.1%3A7102:registrar',
      credentialSubject: { id: SUBJECT, roles: ['provider', 'consumer'], jurisdiction: 'UK', maxClassification: 'OFFICIAL' },
      credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListCredential: 'http://127.0.0.1:7102/registrar/status/revocation/1' },
    });
    await registrarRevoke(credentialId, { dataDir }, io);
    expect(lines[1]).toMatch(new RegExp(`^revoked ${credentialId}`));
    await registrarList({ dataDir }, io);
    expect(lines[2]).toMatch(new RegExp(`^${credentialId}\\s+REVOKED\\s+${SUBJECT.replace(/[%.]/g, '\\$&')}`));
  });

  it('refuses unknown roles, unknown credentials and a data dir without a registrar', async () => {
    const dataDir = await initialisedDataDir();
    const { io } = capture();
    await expect(registrarAccredit({ ...accreditFlags(dataDir), roles: 'provider,spy' }, io)).rejects.toThrow(/unknown role spy/);
    const unknown = registrarRevoke('urn:uuid:00000000-0000-0000-0000-000000000000', { dataDir }, io);
    await expect(unknown).rejects.toSatisfy((e) => e instanceof DomainError && e.failure.code === 'SOV_TRUST_ACCREDITATION_UNKNOWN');
    await expect(registrarShow({ dataDir: tempDir('empty') }, io)).rejects.toSatisfy((e) => e instanceof DomainError && e.failure.code === 'SOV_NOT_FOUND');
  });
});
