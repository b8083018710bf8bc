import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialIssue, credentialRevoke, credentialVerify } from '../../src/cli/commands/credential.js';
import { didShow, withConnectorIdentity, type CliIo } from '../../src/cli/commands/did.js';
import { systemClock } from '../../src/clock/index.js';
import { unwrap } from '../../src/errors/index.js';
import { createFileKms, MINIMUM_KDF_PARAMS } from '../../src/kms/index.js';

const PASSPHRASE = 'cli test passphrase';
let server: Server;
let dataDir: string;
let baseUrl: string;
const served = new Map<string, unknown>();
let output: string[] = [];
const io: CliIo = { env: { SOVC_KEYSTORE_PASSPHRASE: PASSPHRASE }, out: (text) => output.push(text) };

async function publishStatusList(): Promise<void> {
  const list = await withConnectorIdentity({ dataDir, baseUrl }, io, async (identity) => unwrap(await identity.statusList.listCredential()));
  served.set('/status/revocation/1', list);
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sov-cli-'));
  unwrap(await createFileKms({ path: join(dataDir, 'keystore.sealed'), passphrase: PASSPHRASE, clock: systemClock, kdf: MINIMUM_KDF_PARAMS })).close();
  server = createServer((req, res) => {
    const body = served.get(req.url ?? '');
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('sovc did / sovc credential', () => {
  it('shows the DID document, issues, verifies, revokes and then refuses a credential', async () => {
    await didShow({ dataDir, baseUrl }, io);
    const didDocument = JSON.parse(output.join('\n')) as { id: string; assertionMethod: string[] };
    expect(didDocument.id).toBe(`did:web:127.0.0.1%3A${baseUrl.split(':').at(-1)}`);
    served.set('/.well-known/did.json', didDocument);

    const claims = join(dataDir, 'claims.json');
    const vcFile = join(dataDir, 'membership.json');
    writeFileSync(claims, JSON.stringify({ legalName: 'Statistics Canada', jurisdiction: 'CA', roles: ['consumer'] }));
    await credentialIssue(claims, { dataDir, baseUrl, type: ['FederationMembershipCredential'], subject: 'did:web:statcan.example', validDays: '30', status: true, out: vcFile }, io);
    const credential = JSON.parse(readFileSync(vcFile, 'utf8')) as { id: string; issuer: string; credentialStatus: { statusListCredential: string } };
    expect(credential.issuer).toBe(didDocument.id);
    expect(credential.credentialStatus.statusListCredential).toBe(`${baseUrl}/status/revocation/1`);
    await publishStatusList();

    output = [];
    expect(await credentialVerify(vcFile, { trustedIssuer: [didDocument.id] }, io)).toBe(true);
    expect(output.join('\n')).toContain(`verified: credential ${credential.id} issued by ${didDocument.id}`);

    output = [];
    expect(await credentialVerify(vcFile, { trustedIssuer: ['did:web:someone-else.example'] }, io)).toBe(false);
    expect(output.join('\n')).toContain('SOV_IDENTITY_ISSUER_NOT_TRUSTED');

    await credentialRevoke(credential.id, { dataDir, baseUrl }, io);
    await publishStatusList();
    output = [];
    expect(await credentialVerify(vcFile, {}, io)).toBe(false);
    expect(output.join('\n')).toMatch(/refused:\n {2}SOV_IDENTITY_CREDENTIAL_REVOKED: .* is revoked/);
  });
});
