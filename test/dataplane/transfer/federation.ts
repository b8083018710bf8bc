/**
 * Two whole connectors (UK provider, EU consumer) built through the composition root, each
 * behind its own recording TCP proxy on loopback: the proxy address is the connector's public
 * base URL (so its did:web and every call to it go through the proxy), and every byte either
 * way is captured. Registrars for both nations, membership credentials held, one
 * SimulatedClock, outbox workers drained by hand (`settle`).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPartner } from '../../../src/config/index.js';
import { SimulatedClock } from '../../../src/clock/index.js';
import { createConnector, type Connector } from '../../../src/connector/index.js';
import { unwrap } from '../../../src/errors/index.js';
import { createLogger } from '../../../src/http/index.js';
import { MINIMUM_KDF_PARAMS } from '../../../src/kms/index.js';
import { decodeBody } from '../../../src/kms/keystore/body.js';
import { openKeystoreFile } from '../../../src/kms/keystore/envelope.js';
import { sodiumPrimitives } from '../../../src/kms/sodium/primitives.js';
import { loadContractTemplates } from '../../../src/policy/index.js';
import type { Offering } from '../../../src/offerings/index.js';
import { dspOfferOf } from '../../../src/offerings/index.js';
import type { TransferProcess } from '../../../src/transfer/index.js';
import type { Registrar } from '../../../src/trust/index.js';
import { membershipCredential, registrarHost, trustEntry, type TrustEntry } from '../../e2e/dsp-support.js';
import { freePort } from '../../support/partners.js';
import { startRecordingProxy, type RecordingProxy } from './recording-proxy.js';

const silent = createLogger({ level: 'silent' });
const START = Date.UTC(2026, 10, 29, 12);

function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `sovc-dp-${prefix}-`));
}

export interface Party {
  code: string;
  /** Replaced by `restartParty`. */
  connector: Connector;
  /** Absent when built without proxies (benchmarks: nothing is recorded). */
  proxy: RecordingProxy;
  dataDir: string;
}

export interface FederationOptions {
  /** Route each connector through a recording proxy (default true). */
  proxies?: boolean;
  clock?: SimulatedClock;
  /** Let the consumer pull each STARTED transfer by itself (default false: tests call `receive`). */
  automaticPulls?: boolean;
  /** Let the provider push each STARTED push transfer by itself (default false: tests call `provider.push`). */
  automaticPushes?: boolean;
}

export interface DataPlaneFederation {
  clock: SimulatedClock;
  uk: Party;
  eu: Party;
  settle(): Promise<void>;
  stopAll(): Promise<void>;
}


/** A connector for partner `code` on `port` with its data in `dataDir` (the same ones again: a restart). */
interface Automation {
  pulls?: boolean;
  pushes?: boolean;
}

async function connectorOf(code: string, at: { port: number; dataDir: string; url: string }, clock: SimulatedClock, trustList: TrustEntry[], automatic: Automation): Promise<Connector> {
  const env = { SOVC_KEYSTORE_PASSPHRASE: `test passphrase for ${code}`, SOVC_ADMIN_TOKEN: `admin-token-for-${code}-tests`, SOVC_RESEARCHER_TOKEN: `researcher-token-for-${code}-tests` };
  const overrides = { port: at.port, dataDir: at.dataDir, publicBaseUrl: at.url, registrar: { enabled: false }, logLevel: 'silent' as const, trustList };
  const partner = unwrap(loadPartner(code, { env, overrides }));
  const connector = unwrap(await createConnector({ ...partner, kdf: MINIMUM_KDF_PARAMS, logger: silent, clock, dsp: { autoStartWorker: false }, consumerPulls: { automatic: automatic.pulls ?? false }, pushes: { automatic: automatic.pushes ?? false, retryDelayMs: 10 } }));
  unwrap(await connector.start());
  return connector;
}

async function party(code: string, clock: SimulatedClock, trustList: TrustEntry[], registrar: Registrar, proxies: boolean, automatic: Automation = {}): Promise<Party> {
  const port = await freePort();
  const proxy = proxies ? await startRecordingProxy(port) : noProxy(port);
  const dataDir = tempDir(code);
  const connector = await connectorOf(code, { port, dataDir, url: proxy.url }, clock, trustList, automatic);
  await connector.trust.held.add(await membershipCredential(registrar, connector.did, connector.config));
  return { code, connector, proxy, dataDir };
}

/**
 * Stops `party`'s connector and starts it again on the same port, data folder and keystore (a
 * restart: what it held survives, what it was doing resumes at start); the federation uses the new one.
 */
export async function restartParty(federation: DataPlaneFederation, party: Party, automaticPulls = false): Promise<void> {
  const { config } = party.connector;
  await party.connector.stop();
  party.connector = await connectorOf(party.code, { port: config.port, dataDir: party.dataDir, url: party.proxy.url }, federation.clock, config.trustList as TrustEntry[], { pulls: automaticPulls });
}

/** Stands in for a proxy when none is wanted: the connector's own address, nothing recorded. */
function noProxy(port: number): RecordingProxy {
  return {
    url: `http://127.0.0.1:${port}`,
    captured: () => Buffer.alloc(0),
    cutAfter: () => {
      throw new Error('this federation has no proxies');
    },
    cutRequestAfter: () => {
      throw new Error('this federation has no proxies');
    },
    pauseRequestAfter: () => Promise.reject(new Error('this federation has no proxies')),
    holdAfter: () => Promise.reject(new Error('this federation has no proxies')),
    cuts: 0,
    close: async () => undefined,
  };
}

export async function dataPlaneFederation(options: FederationOptions = {}): Promise<DataPlaneFederation> {
  const clock = options.clock ?? new SimulatedClock(START);
  const proxies = options.proxies ?? true;
  const { registrars, close } = await registrarHost(clock, ['uk', 'eu']);
  const trustList = [...registrars.values()].map(trustEntry);
  const uk = await party('uk', clock, trustList, registrars.get('uk') as Registrar, proxies, { pushes: options.automaticPushes ?? false });
  const eu = await party('eu', clock, trustList, registrars.get('eu') as Registrar, proxies, { pulls: options.automaticPulls ?? false });
  return {
    clock,
    uk,
    eu,
    async settle() {
      for (let round = 0; round < 100; round += 1) {
        const reports = await Promise.all([uk, eu].map((p) => p.connector.dsp.worker.drain()));
        if (reports.every((r) => r.delivered + r.retried + r.gaveUp + r.lostLeases === 0)) return;
      }
      throw new Error('the outboxes did not settle in 100 rounds');
    },
    async stopAll() {
      await Promise.all([uk, eu].map((p) => p.connector.stop()));
      await Promise.all([uk, eu].map((p) => p.proxy.close()));
      await close();
    },
  };
}

/**
 * An offering from a contract template; `keyRelease: 'owner-held'` puts `sov:keyRelease` in its
 * policy document (the offer's policy chooses the release mode).
 */
export async function offer(provider: Party, template: string, params: Record<string, unknown> = {}, keyRelease?: 'owner-held'): Promise<Offering> {
  const document = unwrap(unwrap(loadContractTemplates()).instantiate(template, params));
  const policy = keyRelease === undefined ? { template, params } : { odrl: { ...document, 'sov:keyRelease': keyRelease } };
  return unwrap(
    await provider.connector.dsp.offerings.create({
      title: 'Hospital admissions',
      policy,
      classification: 'OFFICIAL',
      personalData: false,
      dataSource: { type: 'file', reference: 'admissions.csv' },
      formats: ['HttpData-PULL', 'HttpData-PUSH'],
    }),
  );
}

/** Negotiates `offering` to FINALIZED (consumer `eu`, provider `uk`); returns the agreement id. */
export async function agree(federation: DataPlaneFederation, offering: Offering): Promise<string> {
  const { uk, eu } = federation;
  const started = unwrap(await eu.connector.dsp.negotiations.start({ offer: { ...dspOfferOf(offering), target: offering.id }, provider: { did: uk.connector.did } }));
  await federation.settle();
  const negotiation = await eu.connector.dsp.negotiations.get(started.id);
  if (negotiation?.state !== 'FINALIZED' || negotiation.agreement === undefined) throw new Error(`negotiation ended ${negotiation?.state}`);
  return negotiation.agreement['@id'];
}

/** Requests a pull transfer under `agreementId` and lets the start message arrive. */
export async function startTransfer(federation: DataPlaneFederation, agreementId: string): Promise<TransferProcess> {
  const { eu } = federation;
  const requested = unwrap(await eu.connector.dsp.transfers.start({ agreementId, format: 'HttpData-PULL' }));
  await federation.settle();
  const started = await eu.connector.dsp.transfers.get(requested.id);
  if (started === undefined) throw new Error('transfer vanished');
  return started;
}

/** Every secret in a party's sealed keystore (private keys, key-encryption key): what must never travel. */
export async function keystoreSecrets(party: Party): Promise<Buffer[]> {
  const path = join(party.dataDir, 'keystore.sealed');
  const opened = unwrap(await openKeystoreFile(sodiumPrimitives, readFileSync(path), `test passphrase for ${party.code}`, path));
  const ring = unwrap(decodeBody(sodiumPrimitives, opened.body, path));
  return [Buffer.from(ring.kek), ...ring.keys.flatMap((key) => (key.secret === undefined ? [] : [Buffer.from(key.secret), Buffer.from(key.secret.subarray(0, 32))]))];
}

/** A DEK of the provider, in clear, read through its kms (test only: to search for it elsewhere). */
export async function clearDataKey(party: Party, keyId: string): Promise<Buffer> {
  return unwrap(await party.connector.kms.withDataKey(keyId, async (key) => Buffer.from(key)));
}

/** `needle` in any of its usual encodings (raw, hex, base64, base64url) inside `haystack`. */
export function containsAnyEncoding(haystack: Buffer, needle: Buffer): boolean {
  const text = haystack.toString('latin1');
  return haystack.includes(needle) || [needle.toString('hex'), needle.toString('base64'), needle.toString('base64url').replace(/=+$/, '')].some((form) => text.includes(form));
}
