/**
 * Federation trust figures (issue 3 target: a verification under 5 ms; the ratio printed is
 * target / measured, per signature verified): caller-token verifications per second with the caller's DID document
 * cached and the jti recorded in a SQLite replay cache, and membership presentation
 * verifications per second (holder VP + registrar credential + pinned-key check + status list,
 * DID documents and the list cached). Documents are served by an in-memory fetch, so the
 * figures are CPU cost, not network.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedClock, uuidGenerator } from '../../src/clock/index.js';
import { unwrap } from '../../src/errors/index.js';
import {
  createConnectorIdentity,
  createDidResolver,
  shippedJsonLdContexts,
  type StatusListRepository,
  type StatusListState,
} from '../../src/identity/index.js';
import { createFileKms, MINIMUM_KDF_PARAMS, type FileKms } from '../../src/kms/index.js';
import { openDatabase } from '../../src/store/index.js';
import {
  checkMembershipPresentation,
  createCallerTokenVerifier,
  createRegistrar,
  createSqlReplayCache,
  createTrustList,
  issueCallerToken,
  pinnedDidResolver,
  replayCacheMigrations,
  type AccreditationRecord,
  type RegistrarRepository,
} from '../../src/trust/index.js';

const TARGET_MS = 5;

/** Prints the cost of one operation; `proofs` Data Integrity proofs verified in each are what the target is per. */
function perOp(label: string, count: number, started: number, proofs = 1): void {
  const ms = (performance.now() - started) / count;
  const each = proofs === 1 ? '' : `; ${proofs} proofs, ${(ms / proofs).toFixed(3)} ms a verification`;
  console.log(`${label.padEnd(52)} ${ms.toFixed(3)} ms/op  ${Math.round(1000 / ms)} ops/s  (target ${TARGET_MS} ms a verification${each}: ${((TARGET_MS * proofs) / ms).toFixed(1)}x under)`);
}

function memoryStatusLists(): StatusListRepository {
  const states = new Map<string, StatusListState>();
  return { load: async (url) => structuredClone(states.get(url)), save: async (state) => void states.set(state.listUrl, structuredClone(state)) };
}

function memoryRegistry(): RegistrarRepository {
  const records: AccreditationRecord[] = [];
  return {
    record: async (entry) => void records.push(entry),
    get: async (id) => records.find((r) => r.credentialId === id),
    list: async () => [...records],
    markRevoked: async () => undefined,
  };
}

export default async function bench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'trust-bench-'));
  const clock = new SimulatedClock(Date.UTC(2026, 10, 29, 12));
  const newKms = async (name: string): Promise<FileKms> =>
    unwrap(await createFileKms({ path: join(dir, `${name}.sealed`), passphrase: 'bench passphrase', clock, kdf: MINIMUM_KDF_PARAMS }));
  const web = new Map<string, unknown>();
  const fetchFromMemory = async (url: string): Promise<Response> =>
    web.has(url) ? new Response(JSON.stringify(web.get(url)), { status: 200 }) : new Response('not found', { status: 404 });
  try {
    const contexts = shippedJsonLdContexts();
    const registrar = createRegistrar({ baseUrl: 'http://127.0.0.1:7102/registrar', kms: await newKms('registrar'), clock, contexts, statusListRepository: memoryStatusLists(), registry: memoryRegistry() });
    const holderKms = await newKms('holder');
    const holder = createConnectorIdentity({ baseUrl: 'http://127.0.0.1:7201', kms: holderKms, clock, contexts, statusListRepository: memoryStatusLists(), fetch: fetchFromMemory });
    web.set('http://127.0.0.1:7102/registrar/did.json', registrar.didDocument());
    web.set('http://127.0.0.1:7201/.well-known/did.json', holder.didDocument());

    const entries = [{ did: registrar.did, keys: [String(registrar.didDocument().verificationMethod?.[0]?.publicKeyMultibase)], credentialTypes: ['FederationMembershipCredential'] }];
    const didResolver = pinnedDidResolver(createDidResolver({ clock, fetch: fetchFromMemory }), entries);
    const trustList = createTrustList({ entries, didResolver });
    const verifier = createConnectorIdentity({
      baseUrl: 'http://127.0.0.1:7101',
      kms: await newKms('verifier'),
      clock,
      contexts,
      statusListRepository: memoryStatusLists(),
      isTrustedIssuer: trustList.isTrustedIssuer,
      fetch: fetchFromMemory,
      didResolver,
    });

    // Caller tokens: each verification needs a fresh jti, so tokens are issued up front.
    const db = await openDatabase(':memory:');
    await db.migrate(replayCacheMigrations);
    const verifyToken = createCallerTokenVerifier({ selfDid: verifier.did, clock, replay: createSqlReplayCache(db, clock), didResolver });
    const request = { method: 'POST', url: 'http://127.0.0.1:7101/dsp/catalog/request', body: '{"@type":"CatalogRequestMessage"}' };
    const n = 2000;
    const tokens = await Promise.all(
      Array.from({ length: n + 1 }, () => issueCallerToken({ signer: holderKms, callerDid: holder.did, audienceDid: verifier.did, request, clock, ids: uuidGenerator })),
    );
    unwrap(await verifyToken(tokens[n] ?? '', request)); // warms the DID document cache
    let started = performance.now();
    for (let i = 0; i < n; i++) unwrap(await verifyToken(tokens[i] ?? '', request));
    perOp('caller token verify (DID doc cached, SQLite jti)', n, started);

    const issued = unwrap(await registrar.accredit({ subject: holder.did, legalName: 'Bench Agency', registrationNumber: 'B-1', jurisdiction: 'UK', countrySubdivisionCode: 'GB-ENG', roles: ['consumer'] }));
    web.set('http://127.0.0.1:7102/registrar/status/revocation/1', unwrap(await registrar.statusListCredential()));
    const challenge = 'bench-challenge-0123456789';
    const vp = unwrap(await holder.present([issued.credential], { challenge, domain: verifier.did }));
    const options = { selfDid: verifier.did, identity: verifier, trustList };
    unwrap(await checkMembershipPresentation(vp, holder.did, challenge, options)); // warms contexts, DIDs, status list
    const m = 100;
    started = performance.now();
    for (let i = 0; i < m; i++) unwrap(await checkMembershipPresentation(vp, holder.did, challenge, options));
    // Two signatures checked (the holder's VP, the registrar's credential), once per caller per cache period.
    perOp('membership VP verify (VP + VC + pin + status, cached)', m, started, 2);
    await db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
