/**
 * The two processes of the data-plane RSS bench (test/bench/dataplane-transfer.bench.ts): a
 * provider (registrars + the UK connector, which adds a generated dataset) and a consumer (the
 * EU connector, which negotiates, pulls and completes), each a real connector on loopback with
 * the system clock and its outbox worker running, each reporting its own peak RSS and, sampled
 * while it works, where the memory is (V8 heap, external, array buffers). The bench runs this
 * file compiled (bench-compile.ts) with SOVC_DPT_ROLE set; imported, it only exports.
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
import { membershipCredential, registrarHost, trustEntry } from '../../e2e/dsp-support.js';

const MB = 1024 * 1024;

/** A generated plaintext of `totalBytes` in 1 MiB pieces (one block, reused: no input memory). */
export async function* generate(totalBytes: number): AsyncGenerator<Uint8Array> {
  const block = Buffer.alloc(MB);
  for (let i = 0; i < block.length; i += 1) block[i] = (i * 2654435761) >>> 24;
  for (let sent = 0; sent < totalBytes; sent += MB) yield block.subarray(0, Math.min(MB, totalBytes - sent));
}

/** process.memoryUsage() in MB. */
export interface Memory {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

export interface ProviderReady {
  trustList: Array<ReturnType<typeof trustEntry>>;
  consumerPort: number;
  consumerCredential: unknown;
  providerDid: string;
  offer: TargetedOffer;
  bytes: number;
  /** The provider after start-up, before the dataset is added. */
  idle: Memory;
  /** Sampled maxima while adding the dataset (encrypt + store). */
  add: Memory;
}

export interface ProviderReport {
  /** Peak RSS of the whole process (getrusage), the add included. */
  maxRssMB: number;
  /** Sampled maxima while serving the container. */
  serve: Memory;
}

export interface ConsumerReport {
  maxRssMB: number;
  mbps: number;
  /** The consumer after start-up and negotiation, just before the pull. */
  idle: Memory;
  /** Sampled maxima during the pull. */
  pull: Memory;
}

const silent = createLogger({ level: 'silent' });
const maxRssMB = () => process.resourceUsage().maxRSS / 1024;

function memoryNow(): Memory {
  const m = process.memoryUsage();
  return { rss: m.rss / MB, heapTotal: m.heapTotal / MB, heapUsed: m.heapUsed / MB, external: m.external / MB, arrayBuffers: m.arrayBuffers / MB };
}

/** Samples memory every 20 ms while `work` runs; each field's maximum (not one instant's). */
async function sampled<T>(work: () => Promise<T>): Promise<{ value: T; peak: Memory }> {
  const peak = memoryNow();
  const sample = () => {
    const now = memoryNow();
    for (const key of Object.keys(peak) as Array<keyof Memory>) peak[key] = Math.max(peak[key], now[key]);
  };
  const timer = setInterval(sample, 20);
  try {
    const value = await work();
    sample();
    return { value, peak };
  } finally {
    clearInterval(timer);
  }
}

async function connectorOf(code: string, port: number, dataDir: string, trustList: ProviderReady['trustList']): Promise<Connector> {
  const env = { SOVC_KEYSTORE_PASSPHRASE: `bench passphrase for ${code}`, SOVC_ADMIN_TOKEN: `admin-token-for-${code}-bench`, SOVC_RESEARCHER_TOKEN: `researcher-token-for-${code}-bench` };
  const partner = unwrap(loadPartner(code, { env, overrides: { port, dataDir, registrar: { enabled: false }, logLevel: 'silent', trustList } }));
  const connector = unwrap(await createConnector({ ...partner, kdf: MINIMUM_KDF_PARAMS, logger: silent, dsp: { pollIntervalMs: 20 } }));
  unwrap(await connector.start());
  return connector;
}

async function runProviderChild(bytes: number): Promise<void> {
  const { registrars, close } = await registrarHost(systemClock, ['uk', 'eu']);
  const trustList = [...registrars.values()].map(trustEntry);
  const dataDir = mkdtempSync(join(tmpdir(), 'sovc-bench-uk-'));
  const configDir = mkdtempSync(join(tmpdir(), 'sovc-bench-eu-cfg-'));
  const uk = await connectorOf('uk', await freePort(), dataDir, trustList);
  await uk.trust.held.add(await membershipCredential(registrars.get('uk')!, uk.did, uk.config));
  const consumerPort = await freePort();
  const eu = unwrap(loadPartner('eu', { env: { SOVC_KEYSTORE_PASSPHRASE: 'x'.repeat(20) }, overrides: { port: consumerPort, dataDir: configDir, registrar: { enabled: false } } }));
  const consumerCredential = await membershipCredential(registrars.get('eu')!, unwrap(didFromUrl(eu.config.publicBaseUrl)), eu.config);
  const offering = unwrap(
    await uk.dsp.offerings.create({ title: 'bench', policy: { template: 'coalition-open', params: {} }, classification: 'OFFICIAL', personalData: false, dataSource: { type: 'generated', reference: 'bench' }, formats: ['HttpData-PULL'] }),
  );
  const idle = memoryNow();
  const added = await sampled(async () => unwrap(await uk.dataPlane.addDataset({ source: generate(bytes), offeringId: offering.id, plaintextLength: bytes })));
  const ready: ProviderReady = { trustList, consumerPort, consumerCredential, providerDid: uk.did, offer: { ...dspOfferOf(offering), target: offering.id }, bytes, idle, add: added.peak };
  console.log(JSON.stringify(ready));
  const served = await sampled(async () => {
    for await (const line of createInterface({ input: process.stdin })) if (line.trim() === 'report') break;
  });
  const report: ProviderReport = { maxRssMB: maxRssMB(), serve: served.peak };
  console.log(JSON.stringify(report));
  await uk.stop();
  await close();
  await Promise.all([dataDir, configDir].map((dir) => rm(dir, { recursive: true, force: true })));
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 3000; i += 1) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('timed out waiting for the other connector');
}

async function runConsumerChild(ready: ProviderReady): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sovc-bench-eu-'));
  const eu = await connectorOf('eu', ready.consumerPort, dataDir, ready.trustList);
  await eu.trust.held.add(ready.consumerCredential as Parameters<typeof eu.trust.held.add>[0]);
  const negotiation = unwrap(await eu.dsp.negotiations.start({ offer: ready.offer, provider: { did: ready.providerDid } }));
  const agreed = await until(() => eu.dsp.negotiations.get(negotiation.id), (n) => n?.state === 'FINALIZED' || n?.state === 'TERMINATED');
  const transfer = unwrap(await eu.dsp.transfers.start({ agreementId: agreed?.agreement?.['@id'] as string, format: 'HttpData-PULL' }));
  await until(() => eu.dsp.transfers.get(transfer.id), (t) => t?.state === 'STARTED');
  const idle = memoryNow();
  const start = performance.now();
  const pulled = await sampled(async () => unwrap(await eu.dataPlane.receive(transfer.id)));
  const mbps = ready.bytes / MB / ((performance.now() - start) / 1000);
  const report: ConsumerReport = { maxRssMB: maxRssMB(), mbps, idle, pull: pulled.peak };
  console.log(JSON.stringify(report));
  await eu.stop();
  await rm(dataDir, { recursive: true, force: true });
}

const role = process.env['SOVC_DPT_ROLE'];
if (role === 'provider') await runProviderChild(Number(process.env['SOVC_DPT_BYTES']));
if (role === 'consumer') await runConsumerChild(JSON.parse(process.env['SOVC_DPT_READY'] ?? '{}') as ProviderReady);
