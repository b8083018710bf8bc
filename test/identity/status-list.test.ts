import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkStatus } from '@digitalbazaar/vc-bitstring-status-list';
import { beforeEach, describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../src/clock/index.js';
import { fail, ok, unwrap, type Result } from '../../src/errors/index.js';
import {
  createHttpStatusListFetcher,
  createJsonFileStatusListRepository,
  createStatusChecker,
  createStatusListManager,
  issueCredential,
  SOV_CONTEXT_V1,
  VC_V2_CONTEXT,
  verifyCredential,
  type CredentialVerification,
  type StatusListManager,
  type StatusListRepository,
  type VerifiableCredential,
} from '../../src/identity/index.js';
import { independentSuite } from './support/independent-verifier.js';
import { createParty, FakeWeb, inMemoryStatusListRepository, loaderFor, type Party } from './support/web.js';

const T0 = Date.UTC(2026, 0, 1);
const MINUTE = 60_000;

let clock: SimulatedClock;
let web: FakeWeb;
let registrar: Party;
let member: Party;
let listUrl: string;
let fetches: number;
let fetchList: (url: string) => Promise<Result<unknown>>;

function manager(repository: StatusListRepository, randomIndex?: (max: number) => number, signer = registrar.signer, issuerDid = registrar.did): StatusListManager {
  return createStatusListManager({
    listUrl,
    issuerDid,
    signer,
    documentLoader: loaderFor(web, clock),
    repository,
    clock,
    ...(randomIndex === undefined ? {} : { randomIndex }),
  });
}

async function issueWithStatus(statusList: StatusListManager, id: string): Promise<VerifiableCredential> {
  const credential = {
    '@context': [VC_V2_CONTEXT, SOV_CONTEXT_V1],
    id,
    type: ['VerifiableCredential', 'FederationMembershipCredential'],
    issuer: registrar.did,
    credentialSubject: { id: member.did, jurisdiction: 'AU', roles: ['provider'] },
  };
  return unwrap(await issueCredential({ credential, signer: registrar.signer, documentLoader: loaderFor(web, clock), clock, statusList }));
}

function verifyWithStatus(credential: unknown): Promise<CredentialVerification> {
  const statusChecker = createStatusChecker({ clock, fetchListCredential: (url) => fetchList(url) });
  return verifyCredential(credential, { documentLoader: loaderFor(web, clock, statusChecker), clock, statusChecker });
}

beforeEach(async () => {
  clock = new SimulatedClock(T0);
  web = new FakeWeb();
  registrar = await createParty(web, clock, 'http://127.0.0.1:7300');
  member = await createParty(web, clock, 'http://127.0.0.1:7301');
  listUrl = `${registrar.baseUrl}/status/revocation/1`;
  fetches = 0;
});

describe('Bitstring Status List revocation', () => {
  it('a revoked credential is refused; verifiers cache the list until its ttl', async () => {
    const statusList = manager(inMemoryStatusListRepository());
    fetchList = async (url) => {
      fetches += 1;
      return url === listUrl ? statusList.listCredential() : fail('SOV_NOT_FOUND', url);
    };
    const credential = await issueWithStatus(statusList, 'urn:uuid:member-1');
    expect(credential['credentialStatus']).toMatchObject({ type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListCredential: listUrl });
    const statusChecker = createStatusChecker({ clock, fetchListCredential: (url) => fetchList(url) });
    const options = { documentLoader: loaderFor(web, clock, statusChecker), clock, statusChecker };
    expect((await verifyCredential(credential, options)).verified).toBe(true);

    unwrap(await statusList.revoke('urn:uuid:member-1'));
    expect((await verifyCredential(credential, options)).verified).toBe(true); // cached copy, within ttl
    expect(fetches).toBe(1);
    clock.advance(5 * MINUTE + 1);
    const refused = await verifyCredential(credential, options);
    expect(refused.errors.map((e) => e.code)).toEqual(['SOV_IDENTITY_CREDENTIAL_REVOKED']);
    expect(refused.errors[0]?.detail).toContain('urn:uuid:member-1 is revoked');
    expect(fetches).toBe(2);
  });

  it('the list encodes the revoked bit so the library\'s own checkStatus reads it too', async () => {
    const statusList = manager(inMemoryStatusListRepository());
    const credential = await issueWithStatus(statusList, 'urn:uuid:member-2');
    unwrap(await statusList.revoke('urn:uuid:member-2'));
    const list = unwrap(await statusList.listCredential());
    const result = await checkStatus({
      credential,
      suite: independentSuite(),
      documentLoader: async (url: string) => ({ contextUrl: null, documentUrl: url, document: list }),
      verifyBitstringStatusListCredential: false,
    });
    expect(result.verified).toBe(true); // the check ran (identity.md §4 trap) …
    expect(result.results?.[0]?.status).toBe(true); // … and the bit says revoked
  });

  it('never hands out an index twice, even when the random source repeats', async () => {
    const draws = [42, 42, 42, 7, 42, 7, 99];
    const statusList = manager(inMemoryStatusListRepository(), () => draws.shift() ?? 1000);
    const indexes: string[] = [];
    for (const id of ['urn:a', 'urn:b', 'urn:c']) indexes.push(unwrap(await statusList.allocate(id)).statusListIndex);
    expect(indexes).toEqual(['42', '7', '99']);
    unwrap(await statusList.revoke('urn:a'));
    expect(unwrap(await statusList.allocate('urn:d')).statusListIndex).toBe('1000');
    expect(await statusList.allocate('urn:a')).toMatchObject({ ok: false, code: 'SOV_CONFLICT' });
    expect(await statusList.revoke('urn:unknown')).toMatchObject({ ok: false, code: 'SOV_IDENTITY_CREDENTIAL_UNKNOWN' });
  });

  it('keeps allocations and revocations in a JSON file across restarts', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sov-status-')), 'status-lists.json');
    const first = manager(createJsonFileStatusListRepository({ path }), () => 3);
    unwrap(await first.allocate('urn:x'));
    const second = manager(createJsonFileStatusListRepository({ path }), () => 3);
    expect(unwrap(await second.allocate('urn:y')).statusListIndex).not.toBe('3');
    unwrap(await second.revoke('urn:x'));
    expect(unwrap(await manager(createJsonFileStatusListRepository({ path })).isRevoked('urn:x'))).toBe(true);
  });
});

describe('status checks fail closed', () => {
  it('when the list cannot be fetched', async () => {
    const credential = await issueWithStatus(manager(inMemoryStatusListRepository()), 'urn:uuid:member-3');
    fetchList = async () => fail('SOV_UPSTREAM_UNAVAILABLE', 'connection refused');
    const result = await verifyWithStatus(credential);
    expect(result.errors.map((e) => e.code)).toEqual(['SOV_IDENTITY_STATUS_UNAVAILABLE']);
    expect(result.errors[0]?.detail).toContain('connection refused');
  });

  it('when only an expired copy of the list is available', async () => {
    const statusList = manager(inMemoryStatusListRepository());
    const credential = await issueWithStatus(statusList, 'urn:uuid:member-4');
    const stale = unwrap(await statusList.listCredential());
    fetchList = async () => ok(stale);
    clock.advance(7 * 60 * MINUTE);
    const result = await verifyWithStatus(credential);
    expect(result.errors.map((e) => e.code)).toEqual(['SOV_IDENTITY_STATUS_UNAVAILABLE']);
    expect(result.errors[0]?.detail).toMatch(/expired/);
  });

  it('when the list is signed by someone other than the credential issuer', async () => {
    const credential = await issueWithStatus(manager(inMemoryStatusListRepository()), 'urn:uuid:member-5');
    const impostor = manager(inMemoryStatusListRepository(), undefined, member.signer, member.did);
    fetchList = async () => impostor.listCredential();
    const result = await verifyWithStatus(credential);
    expect(result.errors.map((e) => e.code)).toEqual(['SOV_IDENTITY_STATUS_UNAVAILABLE']);
    expect(result.errors[0]?.detail).toContain(`issued by ${member.did}`);
  });

  it('when the list would be fetched over plain http from a non-loopback host', async () => {
    const web = new FakeWeb();
    const fetchOverHttp = createHttpStatusListFetcher({ fetch: web.fetch });
    const refused = await fetchOverHttp('http://registrar.example/status/1');
    expect(refused).toMatchObject({ ok: false, code: 'SOV_IDENTITY_INSECURE_TRANSPORT' });
    expect(web.requested).toEqual([]);
    const credential = await issueWithStatus(manager(inMemoryStatusListRepository()), 'urn:uuid:member-7');
    fetchList = fetchOverHttp;
    const result = await verifyWithStatus({ ...credential });
    expect(result.errors.map((e) => e.code)).toEqual(['SOV_IDENTITY_STATUS_UNAVAILABLE']);
  });

  it('when no status checker is configured', async () => {
    const credential = await issueWithStatus(manager(inMemoryStatusListRepository()), 'urn:uuid:member-6');
    const result = await verifyCredential(credential, { documentLoader: loaderFor(web, clock), clock });
    expect(result.errors.map((e) => e.code)).toEqual(['SOV_IDENTITY_STATUS_UNAVAILABLE']);
  });
});
