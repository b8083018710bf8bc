/**
 * The two processes of the data-plane RSS bench (test/bench/dataplane-transfer.bench.ts): a
 * provider (registrars + the UK connector, which adds a generated dataset) and a consumer (the
 * EU connector, which negotiates, pulls and completes), each a real connector on loopback with
 * the system clock and its outbox worker running, each reporting its own peak RSS.
 */
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { loadPartner } from '../../../src/config/index.js';
import { systemClock } from '../../../src/clock/index.js';
import { createConnector, type Connector } from '../../../src/connector/index.js';
import { unwrap } from '../../../src/errors/index.js';
import { createLogger } from '../../../src/http/index.js';
import { didFromUrl } from '../../../src/identity/index.js';
import { MINIMUM_KDF_PARAMS } from '../../../src/kms/index.js';
import type { TargetedOffer } from '../../../src/negotiation/index.js';
import { dspOfferOf } from '../../../src/offerings/index.js';
import { freePort } from '../../support/partners.js';
import { accredit, registrarsFor, trustEntry } from './federation.js';

export interface ProviderReady {
  trustList: Array<ReturnType<typeof trustEntry>>;
  consumerPort: number;
  consumerCredential: unknown;
  providerDid: string;
  offer: TargetedOffer;
  bytes: number;
  /** RSS of the provider after start-up, before the dataset is added. */
  idleRssMB: number;
}

const silent = createLogger({ level: 'silent' });
const maxRssMB = () => process.resourceUsage().maxRSS / 1024;
const rssMB = () => process.memoryUsage().rss / (1024 * 1024);

async function connectorOf(code: string, port: number, dataDir: string, trustList: ProviderReady['trustList']): Promise<Connector> {
  const env = { SOVC_KEYSTORE_PASSPHRASE: `bench passphrase for ${code}`, SOVC_ADMIN_TOKEN: `admin-token-for-${code}-bench`, SOVC_RESEARCHER_TOKEN: `researcher-token-for-${code}-bench` };
  const partner = unwrap(loadPartner(code, { env, overrides: { port, dataDir, registrar: { enabled: false }, logLevel: 'silent', trustList } }));
  const connector = unwrap(await createConnector({ ...partner, kdf: MINIMUM_KDF_PARAMS, logger: silent, dsp: { pollIntervalMs: 20 } }));
  unwrap(await connector.start());
  return connector;
}

export async function runProviderChild(bytes: number, generate: (n: number) => AsyncIterable<Uint8Array>): Promise<void> {
  const { registrars, close } = await registrarsFor(systemClock, ['uk', 'eu']);
  const trustList = [...registrars.values()].map(trustEntry);
  const dataDir = mkdtempSync(join(tmpdir(), 'sovc-bench-uk-'));
  const uk = await connectorOf('uk', await freePort(), dataDir, trustList);
  await uk.trust.held.add(await accredit(registrars.get('uk')!, uk.did, uk.config));
  const consumerPort = await freePort();
  const eu = unwrap(loadPartner('eu', { env: { SOVC_KEYSTORE_PASSPHRASE: 'x'.repeat(20) }, overrides: { port: consumerPort, dataDir: mkdtempSync(join(tmpdir(), 'sovc-bench-eu-cfg-')), registrar: { enabled: false } } }));
  const consumerCredential = await accredit(registrars.get('eu')!, unwrap(didFromUrl(eu.config.publicBaseUrl)), eu.config);
  const offering = unwrap(
    await uk.dsp.offerings.create({ title: 'bench', policy: { template: 'coalition-open', params: {} }, classification: 'OFFICIAL', personalData: false, dataSource: { type: 'generated', reference: 'bench' }, formats: ['HttpData-PULL'] }),
  );
  const idleRssMB = rssMB();
  unwrap(await uk.dataPlane.addDataset({ source: generate(bytes), offeringId: offering.id, plaintextLength: bytes }));
  const ready: ProviderReady = { trustList, consumerPort, consumerCredential, providerDid: uk.did, offer: { ...dspOfferOf(offering), target: offering.id }, bytes, idleRssMB };
  console.log(JSON.stringify(ready));
  for await (const line of createInterface({ input: process.stdin })) if (line.trim() === 'report') break;
  console.log(JSON.stringify({ maxRssMB: maxRssMB() }));
  await uk.stop();
  await close();
  await rm(dataDir, { recursive: true, force: true });
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 3000; i += 1) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('timed out waiting for the other connector');
}

export async function runConsumerChild(ready: ProviderReady): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sovc-bench-eu-'));
  const eu = await connectorOf('eu', ready.consumerPort, dataDir, ready.trustList);
  await eu.trust.held.add(ready.consumerCredential as Parameters<typeof eu.trust.held.add>[0]);
  const negotiation = unwrap(await eu.dsp.negotiations.start({ offer: ready.offer, provider: { did: ready.providerDid } }));
  const agreed = await until(() => eu.dsp.negotiations.get(negotiation.id), (n) => n?.state === 'FINALIZED' || n?.state === 'TERMINATED');
  const transfer = unwrap(await eu.dsp.transfers.start({ agreementId: agreed?.agreement?.['@id'] as string, format: 'HttpData-PULL' }));
  await until(() => eu.dsp.transfers.get(transfer.id), (t) => t?.state === 'STARTED');
  const idleRssMB = rssMB();
  const start = performance.now();
  unwrap(await eu.dataPlane.receive(transfer.id));
  const mbps = ready.bytes / (1024 * 1024) / ((performance.now() - start) / 1000);
  console.log(JSON.stringify({ maxRssMB: maxRssMB(), mbps, idleRssMB }));
  await eu.stop();
  await rm(dataDir, { recursive: true, force: true });
}
