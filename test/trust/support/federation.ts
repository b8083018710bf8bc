/**
 * A small federation over real loopback HTTP, wired the way the composition root wires it:
 * registrars on one server (each under its own path, swappable to simulate a hijacked web host)
 * and connectors on their own servers, each with its own trust list, replay cache, membership
 * verifier, credential service and a caller-authenticated DSP route. Everything shares one
 * SimulatedClock; every HTTP request a connector makes is recorded.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express, { type Router } from 'express';
import { SimulatedClock, uuidGenerator } from '../../../src/clock/index.js';
import { fail, unwrap } from '../../../src/errors/index.js';
import {
  callerAuth,
  callerOf,
  createHttpApp,
  identityRoutes,
  jsonBody,
  mountDspApi,
  type HttpApp,
} from '../../../src/http/index.js';
import {
  createConnectorIdentity,
  createDidResolver,
  createJsonFileStatusListRepository,
  shippedJsonLdContexts,
  type ConnectorIdentity,
} from '../../../src/identity/index.js';
import { createFileKms, MINIMUM_KDF_PARAMS, type FileKms } from '../../../src/kms/index.js';
import { openDatabase } from '../../../src/store/index.js';
import {
  createCallerAuthenticator,
  createCallerTokenVerifier,
  createConnectorClient,
  createCredentialService,
  createJsonFileHeldCredentialStore,
  createJsonFileRegistrarRepository,
  createMembershipVerifier,
  createRegistrar,
  createSqlReplayCache,
  createTrustList,
  fetchTransport,
  pinnedDidResolver,
  registrarRoutes,
  replayCacheMigrations,
  type AnswerPresentationQuery,
  type ConnectorClient,
  type HeldCredentialStore,
  type MembershipVerifier,
  type Registrar,
  type TrustedRegistrar,
  type VerifiedClaims,
} from '../../../src/trust/index.js';
import { serve, silentLogger } from '../../http/harness.js';

export const START = Date.UTC(2026, 10, 29, 12);
const limits = { managementBodyBytes: 64 * 1024, dspBodyBytes: 64 * 1024 };

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `sovc-trust-${prefix}-`));
}

export async function newKms(clock: SimulatedClock): Promise<FileKms> {
  return unwrap(await createFileKms({ path: join(tempDir('kms'), 'keystore.sealed'), passphrase: 'test passphrase', clock, kdf: MINIMUM_KDF_PARAMS }));
}

export interface RecordedRequest {
  method: string;
  url: string;
}

function recordingFetch(log: RecordedRequest[]): (url: string, init?: RequestInit) => Promise<Response> {
  return (url, init) => {
    log.push({ method: init?.method ?? 'GET', url });
    return fetch(url, init);
  };
}

export interface RegistrarHost {
  url: string;
  /** Serves a registrar under `path`; adding one again under the same path (with another `kms`) plays a hijacker of that web host. */
  add(path: string, kms?: FileKms): Promise<Registrar>;
}

export async function startRegistrarHost(clock: SimulatedClock): Promise<RegistrarHost> {
  const app = createHttpApp({ logger: silentLogger, limits });
  const url = await serve(app);
  const routers = new Map<string, Router>();
  return {
    url,
    async add(path, kms) {
      const dir = tempDir('registrar');
      const registrar = createRegistrar({
        baseUrl: `${url}${path}`,
        kms: kms ?? (await newKms(clock)),
        clock,
        contexts: shippedJsonLdContexts(),
        statusListRepository: createJsonFileStatusListRepository({ path: join(dir, 'status-lists.json') }),
        registry: createJsonFileRegistrarRepository({ path: join(dir, 'accreditations.json') }),
      });
      if (!routers.has(path)) app.mount(path, (req, res, next) => routers.get(path)?.(req, res, next));
      routers.set(path, registrarRoutes(registrar));
      return registrar;
    },
  };
}

/** The trust-list entry that accepts `registrar` with its current key pinned. */
export function trustEntry(registrar: Registrar, keys?: string[]): TrustedRegistrar {
  const pinned = keys ?? [String((registrar.didDocument().verificationMethod ?? [])[0]?.publicKeyMultibase)];
  return { did: registrar.did, keys: pinned, credentialTypes: ['FederationMembershipCredential'] };
}

export interface TestConnector {
  url: string;
  did: string;
  kms: FileKms;
  identity: ConnectorIdentity;
  held: HeldCredentialStore;
  client: ConnectorClient;
  membership: MembershipVerifier;
  /** Every HTTP request this connector made (DID documents, status lists, presentation queries). */
  requests: RecordedRequest[];
  /** The holder endpoint's behaviour; tests replace it to play a malicious holder. */
  answer: AnswerPresentationQuery;
  readonly honestAnswer: AnswerPresentationQuery;
  /** A DSP route behind `callerAuth`: answers with the verified claims. */
  catalogUrl: string;
  /** A problem+json route behind `callerAuth`. */
  probeUrl: string;
}

function protectedRouter(authenticate: Parameters<typeof callerAuth<VerifiedClaims>>[0]['authenticate']): Router {
  const router = express.Router();
  router.post('/request', callerAuth({ authenticate, errorType: 'CatalogError' }), (_req, res) => {
    res.json({ caller: callerOf<VerifiedClaims>(res) });
  });
  return router;
}

export async function startConnector(clock: SimulatedClock, trusted: TrustedRegistrar[]): Promise<TestConnector> {
  const app: HttpApp = createHttpApp({ logger: silentLogger, limits });
  const url = await serve(app);
  const kms = await newKms(clock);
  const requests: RecordedRequest[] = [];
  const fetchRecorded = recordingFetch(requests);
  const didResolver = pinnedDidResolver(createDidResolver({ clock, fetch: fetchRecorded }), trusted);
  const trustList = createTrustList({ entries: trusted, didResolver });
  const identity = createConnectorIdentity({
    baseUrl: url,
    kms,
    clock,
    contexts: shippedJsonLdContexts(),
    statusListRepository: createJsonFileStatusListRepository({ path: join(tempDir('conn'), 'status-lists.json') }),
    isTrustedIssuer: trustList.isTrustedIssuer,
    fetch: fetchRecorded,
    didResolver,
  });
  const db = await openDatabase(':memory:');
  await db.migrate(replayCacheMigrations);
  const verifyToken = createCallerTokenVerifier({ selfDid: identity.did, clock, replay: createSqlReplayCache(db, clock), didResolver });
  const held = createJsonFileHeldCredentialStore({ path: join(tempDir('held'), 'held-credentials.json') });
  const client = createConnectorClient({ did: identity.did, kms, clock, ids: uuidGenerator, transport: fetchTransport(fetchRecorded) });
  const membership = createMembershipVerifier({ selfDid: identity.did, identity, trustList, clock, didResolver, client });
  const authenticate = createCallerAuthenticator({ publicBaseUrl: url, verifyToken, membership });
  const honestAnswer = createCredentialService({ identity, held, verifyToken, publicBaseUrl: url });
  const connector: TestConnector = {
    url,
    did: identity.did,
    kms,
    identity,
    held,
    client,
    membership,
    requests,
    answer: honestAnswer,
    honestAnswer,
    catalogUrl: `${url}/dsp/catalog/request`,
    probeUrl: `${url}/probe`,
  };
  app.mount(
    '/',
    identityRoutes({
      getDidDocument: () => identity.didDocument(),
      getSelfDescription: () => fail('SOV_NOT_FOUND', 'no self-description in this test'),
      answerPresentationQuery: (body, token, request) => connector.answer(body, token, request),
      health: { did: identity.did, version: 'test', clock, startedAt: START },
      maxBodyBytes: limits.dspBodyBytes,
    }),
  );
  mountDspApi(app, { routes: [{ path: '/catalog', errorType: 'CatalogError', router: protectedRouter(authenticate) }] });
  app.mount('/probe', jsonBody(limits.dspBodyBytes), callerAuth({ authenticate }), (_req, res) => {
    res.json({ caller: callerOf<VerifiedClaims>(res) });
  });
  return connector;
}

/** Accredits `member` at `registrar` and gives it the credential to hold. */
export async function accredit(registrar: Registrar, member: TestConnector, legalName = 'Office for National Statistics'): Promise<string> {
  const issued = unwrap(
    await registrar.accredit({
      subject: member.did,
      legalName,
      registrationNumber: 'GB-ONS-001',
      jurisdiction: 'UK',
      countrySubdivisionCode: 'GB-WLS',
      roles: ['consumer', 'researcher'],
      maxClassification: 'OFFICIAL',
    }),
  );
  await member.held.add(issued.credential);
  return issued.credentialId;
}

export function newClock(): SimulatedClock {
  return new SimulatedClock(START);
}

export const presentationQueries = (connector: TestConnector): RecordedRequest[] =>
  connector.requests.filter((r) => r.method === 'POST' && r.url.endsWith('/cs/presentations/query'));
