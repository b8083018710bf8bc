import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../src/clock/index.js';
import { unwrap } from '../../src/errors/index.js';
import {
  buildDidDocument,
  createDidResolver,
  didFromUrl,
  didToUrl,
  isLoopbackHost,
  resolveDidDocument,
  type FetchLike,
} from '../../src/identity/index.js';
import { createParty, FakeWeb } from './support/web.js';

const key = (keyId: string, multibase: string) => ({ keyId, publicKey: new Uint8Array(32), publicKeyMultibase: multibase });

describe('did:web ↔ URL mapping (did:web spec §3.2)', () => {
  it.each([
    ['did:web:example.com', 'https://example.com/.well-known/did.json'],
    ['did:web:example.com%3A8443:conn:uk', 'https://example.com:8443/conn/uk/did.json'],
    ['did:web:127.0.0.1%3A7001', 'http://127.0.0.1:7001/.well-known/did.json'],
    ['did:web:localhost%3A7002:issuer', 'http://localhost:7002/issuer/did.json'],
    ['did:web:%5B%3A%3A1%5D%3A7003', 'http://[::1]:7003/.well-known/did.json'],
  ])('%s → %s', (did, url) => {
    expect(unwrap(didToUrl(did))).toBe(url);
  });

  it.each([
    ['http://127.0.0.1:7001', 'did:web:127.0.0.1%3A7001'],
    ['http://127.0.0.1:7001/', 'did:web:127.0.0.1%3A7001'],
    ['https://example.com/conn/uk', 'did:web:example.com:conn:uk'],
    ['https://example.com:8443', 'did:web:example.com%3A8443'],
  ])('base URL %s → %s', (url, did) => {
    expect(unwrap(didFromUrl(url))).toBe(did);
  });

  it('refuses malformed DIDs, fragments, dot segments and non-loopback IP addresses', () => {
    for (const did of ['did:key:z6Mk', 'did:web:example.com#sig-1', 'did:web:example.com:..:x', 'did:web:10.0.0.1', 'did:web:']) {
      expect(didToUrl(did)).toMatchObject({ ok: false, code: 'SOV_IDENTITY_INVALID_DID' });
    }
  });

  it('refuses plain http base URLs except on loopback', () => {
    expect(didFromUrl('http://example.com')).toMatchObject({ ok: false, code: 'SOV_IDENTITY_INSECURE_TRANSPORT' });
    expect(isLoopbackHost('127.8.9.10')).toBe(true);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
    expect(isLoopbackHost('localhost.example.com')).toBe(false);
  });
});

describe('the connector DID document (identity.md §3)', () => {
  it('lists Multikey methods, relationships and the DSP and credential services', () => {
    const did = 'did:web:127.0.0.1%3A7001';
    const doc = buildDidDocument({
      did,
      signingKeys: [key('sig-2', 'z6MkNew'), key('sig-1', 'z6MkOld')],
      agreementKeys: [key('enc-1', 'z6LSenc')],
      dspEndpoint: 'http://127.0.0.1:7001/.well-known/dspace-version',
      credentialEndpoint: 'http://127.0.0.1:7001/cs',
    });
    expect(doc.verificationMethod?.map((vm) => [vm.id, vm.type, vm.controller])).toEqual([
      [`${did}#sig-2`, 'Multikey', did],
      [`${did}#sig-1`, 'Multikey', did],
      [`${did}#enc-1`, 'Multikey', did],
    ]);
    // A retired key keeps verifying old credentials but can no longer authenticate or invoke.
    expect(doc.assertionMethod).toEqual([`${did}#sig-2`, `${did}#sig-1`]);
    expect(doc.authentication).toEqual([`${did}#sig-2`]);
    expect(doc.capabilityInvocation).toEqual([`${did}#sig-2`]);
    expect(doc.keyAgreement).toEqual([`${did}#enc-1`]);
    expect(doc.service?.map((s) => s.type)).toEqual(['DataService', 'CredentialService']);
  });
});

describe('did:web resolver', () => {
  let server: Server;
  let port = 0;
  let served: Record<string, unknown> = {};

  beforeAll(async () => {
    server = createServer((req, res) => {
      const body = served[req.url ?? ''];
      res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
      res.end(body === undefined ? '{}' : JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('resolves a loopback DID over plain http from a real local server', async () => {
    const clock = new SimulatedClock();
    const web = new FakeWeb();
    const party = await createParty(web, clock, `http://127.0.0.1:${port}`);
    served = { '/.well-known/did.json': web.documents.get(unwrap(didToUrl(party.did))) };
    const resolved = unwrap(await resolveDidDocument(createDidResolver({ clock }), party.did));
    expect(resolved.id).toBe(party.did);
    expect(resolved.assertionMethod).toEqual([`${party.did}#sig-1`]);
  });

  it('uses https for other hosts and refuses a redirect (which could downgrade to http)', async () => {
    const requested: Array<{ url: string; redirect: string }> = [];
    const redirecting: FetchLike = async (url, init) => {
      requested.push({ url, redirect: init.redirect });
      return new Response(null, { status: 302, headers: { location: 'http://example.com/.well-known/did.json' } });
    };
    const result = await resolveDidDocument(createDidResolver({ clock: new SimulatedClock(), fetch: redirecting }), 'did:web:example.com');
    expect(requested).toEqual([{ url: 'https://example.com/.well-known/did.json', redirect: 'manual' }]);
    expect(result).toMatchObject({ ok: false, code: 'SOV_IDENTITY_DID_UNRESOLVABLE' });
    expect(result.ok ? '' : result.detail).toContain('redirects are refused');
  });

  it('refuses a document whose id is another DID', async () => {
    const web = new FakeWeb();
    web.documents.set('https://example.com/.well-known/did.json', { id: 'did:web:evil.example', verificationMethod: [] });
    const result = await resolveDidDocument(createDidResolver({ clock: new SimulatedClock(), fetch: web.fetch }), 'did:web:example.com');
    expect(result).toMatchObject({ ok: false, code: 'SOV_IDENTITY_DID_DOCUMENT_INVALID' });
    expect(result.ok ? '' : result.detail).toContain('did:web:evil.example');
  });

  it('refuses an oversized document without reading it all', async () => {
    const web = new FakeWeb();
    web.documents.set('https://example.com/.well-known/did.json', { id: 'did:web:example.com', padding: 'x'.repeat(70_000) });
    const resolver = createDidResolver({ clock: new SimulatedClock(), fetch: web.fetch, maxBytes: 64 * 1024 });
    expect(await resolveDidDocument(resolver, 'did:web:example.com')).toMatchObject({ ok: false, code: 'SOV_IDENTITY_DID_DOCUMENT_TOO_LARGE' });
  });

  it('refuses a document that is not a DID document', async () => {
    const web = new FakeWeb();
    web.documents.set('https://example.com/.well-known/did.json', { id: 42 });
    const resolver = createDidResolver({ clock: new SimulatedClock(), fetch: web.fetch });
    expect(await resolveDidDocument(resolver, 'did:web:example.com')).toMatchObject({ ok: false, code: 'SOV_IDENTITY_DID_DOCUMENT_INVALID' });
  });

  it('caches a resolved document until its TTL passes on the injected clock', async () => {
    const clock = new SimulatedClock();
    const web = new FakeWeb();
    web.documents.set('https://example.com/.well-known/did.json', { id: 'did:web:example.com' });
    const resolver = createDidResolver({ clock, fetch: web.fetch, cacheTtlMs: 60_000 });
    unwrap(await resolveDidDocument(resolver, 'did:web:example.com'));
    clock.advance(59_000);
    unwrap(await resolveDidDocument(resolver, 'did:web:example.com'));
    expect(web.requested).toHaveLength(1);
    clock.advance(2_000);
    unwrap(await resolveDidDocument(resolver, 'did:web:example.com'));
    expect(web.requested).toHaveLength(2);
  });

  it('gives up when the host does not answer within the timeout', async () => {
    const hanging: FetchLike = (_url, init) =>
      new Promise((_resolve, reject) => init.signal.addEventListener('abort', () => reject(new Error('aborted'))));
    const resolver = createDidResolver({ clock: new SimulatedClock(), fetch: hanging, timeoutMs: 1 });
    const result = await resolveDidDocument(resolver, 'did:web:example.com');
    expect(result).toMatchObject({ ok: false, code: 'SOV_IDENTITY_DID_UNRESOLVABLE' });
    expect(result.ok ? '' : result.detail).toContain('no answer within 1 ms');
  });
});
