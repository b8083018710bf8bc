/**
 * The registrar's member directory (`GET <registrar>/members`) and the crawler's reader of it:
 * only live accreditations (neither revoked nor expired), one entry per DID, and a directory
 * that is unreachable, malformed or another registrar's is that registrar's failure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { membersUrl, registrarDirectory } from '../../../src/catalog/federated/index.js';
import { SimulatedClock } from '../../../src/clock/index.js';
import { ok, unwrap } from '../../../src/errors/index.js';
import { createHttpApp, createLogger, listen, type RunningServer } from '../../../src/http/index.js';
import type { FetchLike } from '../../../src/identity/index.js';
import { liveMembers, registrarRoutes, type AccreditationRecord } from '../../../src/trust/index.js';

const NOW = Date.UTC(2026, 10, 29, 12);
const clock = new SimulatedClock(NOW);

function accreditation(subject: string, changes: Partial<AccreditationRecord> = {}): AccreditationRecord {
  return {
    credentialId: `urn:uuid:${subject}:${changes.issuedAt ?? 'a'}`,
    subject,
    legalName: `Legal name of ${subject}`,
    jurisdiction: 'UK',
    roles: ['provider'],
    issuedAt: new Date(NOW - 1000).toISOString(),
    validUntil: new Date(NOW + 86_400_000).toISOString(),
    credential: {},
    ...changes,
  };
}

const records = [
  accreditation('did:web:live.example'),
  accreditation('did:web:revoked.example', { revokedAt: new Date(NOW - 10).toISOString() }),
  accreditation('did:web:expired.example', { validUntil: new Date(NOW).toISOString() }),
  accreditation('did:web:renewed.example', { legalName: 'Old name' }),
  accreditation('did:web:renewed.example', { legalName: 'New name', issuedAt: 'b' }),
];

describe('liveMembers', () => {
  it('keeps neither revoked nor expired accreditations, one entry per DID (its latest)', () => {
    expect(liveMembers(records, NOW)).toEqual([
      { did: 'did:web:live.example', legalName: 'Legal name of did:web:live.example', jurisdiction: 'UK' },
      { did: 'did:web:renewed.example', legalName: 'New name', jurisdiction: 'UK' },
    ]);
  });
});

describe('GET <registrar>/members read by the crawler', () => {
  let server: RunningServer;
  let registrarDid: string;

  beforeAll(async () => {
    const app = createHttpApp({ logger: createLogger({ level: 'silent' }), limits: { managementBodyBytes: 1024, dspBodyBytes: 1024 } });
    server = unwrap(await listen(app, { host: '127.0.0.1', port: 0 }));
    registrarDid = `did:web:${encodeURIComponent(new URL(server.url).host)}:uk`;
    const registrar = {
      did: registrarDid,
      didDocument: () => ({ '@context': [], id: registrarDid }),
      statusListCredential: async () => ok({}),
      accreditations: async () => records,
    };
    app.mount('/uk', registrarRoutes(registrar, { clock }));
    app.mount('/other', registrarRoutes({ ...registrar, did: 'did:web:someone.else' }, { clock }));
  });
  afterAll(async () => server.close({ graceMs: 0 }));

  it('serves the live members publicly, and the directory reader returns them as partner candidates', async () => {
    const response = await fetch(`${server.url}/uk/members`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { members: unknown[] }).members).toHaveLength(2);

    const [listing] = await registrarDirectory({ registrars: [registrarDid], fetch: globalThis.fetch as FetchLike }).list();
    expect(listing?.members).toEqual(ok([
      { did: 'did:web:live.example', legalName: 'Legal name of did:web:live.example', registrar: registrarDid },
      { did: 'did:web:renewed.example', legalName: 'New name', registrar: registrarDid },
    ]));
  });

  it('an unreachable, malformed or foreign directory is a failure of that registrar only', async () => {
    const host = encodeURIComponent(new URL(server.url).host);
    const registrars = [registrarDid, `did:web:${host}:other`, `did:web:${host}:missing`, 'did:web:127.0.0.1%3A1:gone'];
    const listings = await registrarDirectory({ registrars, fetch: globalThis.fetch as FetchLike, timeoutMs: 2_000 }).list();
    expect(listings.map((l) => (l.members.ok ? l.members.value.length : l.members.code))).toEqual([
      2,
      'SOV_FEDCAT_REGISTRAR_UNAVAILABLE',
      'SOV_FEDCAT_REGISTRAR_UNAVAILABLE',
      'SOV_FEDCAT_REGISTRAR_UNAVAILABLE',
    ]);
  });

  it('the directory lives next to the registrar\'s did.json', () => {
    expect(membersUrl('did:web:127.0.0.1%3A7102:registrar')).toEqual(ok('http://127.0.0.1:7102/registrar/members'));
    expect(membersUrl('did:web:registrar.example')).toEqual(ok('https://registrar.example/members'));
  });
});
