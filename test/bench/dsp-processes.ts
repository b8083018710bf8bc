/**
 * Two connectors in two processes, as two partners run them (each its own connector, each its
 * own core): the bench (test/bench/dsp-processes.bench.ts) is the consumer (EU) and spawns this
 * file as the provider (UK, with the registrars). Both run the system clock, the durable
 * SQLite store and their outbox workers by themselves (woken by each commit that queues a
 * message): nothing drives the conversation but the two connectors.
 *
 * The provider prints one JSON line when ready (trust list, the consumer's port and membership
 * credential, its DID and an offer), then answers commands on stdin, one JSON line each:
 * `cpu` (its CPU time so far, µs), `idle` (whether every negotiation it holds is FINALIZED and
 * its outbox is empty), `stop`.
 */
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { systemClock } from '../../src/clock/index.js';
import { loadPartner } from '../../src/config/index.js';
import { unwrap } from '../../src/errors/index.js';
import { didFromUrl } from '../../src/identity/index.js';
import type { TargetedOffer } from '../../src/negotiation/index.js';
import { dspOfferOf } from '../../src/offerings/index.js';
import { build, membershipCredential, registrarHost, trustEntry, type TrustEntry } from '../e2e/dsp-support.js';
import { freePort } from '../support/partners.js';

export interface ProviderReady {
  trustList: TrustEntry[];
  consumerPort: number;
  consumerCredential: Record<string, unknown>;
  providerDid: string;
  offer: TargetedOffer;
}

/** CPU time (user + system) of this process so far, in µs. */
export function cpuMicros(): number {
  const used = process.cpuUsage();
  return used.user + used.system;
}

async function runProvider(synchronous: 'full' | 'normal'): Promise<void> {
  const { registrars, close } = await registrarHost(systemClock, ['uk', 'eu']);
  const trustList = [...registrars.values()].map(trustEntry);
  const dataDir = mkdtempSync(join(tmpdir(), 'sovc-dsp-bench-uk-'));
  const uk = await build('uk', systemClock, await freePort(), dataDir, trustList, { synchronous, autoStartWorker: true });
  unwrap(await uk.start());
  await uk.trust.held.add(await membershipCredential(registrars.get('uk')!, uk.did, uk.config));
  const consumerPort = await freePort();
  const eu = unwrap(loadPartner('eu', { env: { SOVC_KEYSTORE_PASSPHRASE: 'unused passphrase' }, overrides: { port: consumerPort } }));
  const consumerCredential = await membershipCredential(registrars.get('eu')!, unwrap(didFromUrl(eu.config.publicBaseUrl)), eu.config);
  const offering = unwrap(
    await uk.dsp.offerings.create({ title: 'bench', policy: { template: 'coalition-open', params: {} }, classification: 'OFFICIAL', personalData: false, dataSource: { type: 'file', reference: 'x' }, formats: ['HttpData-PULL'] }),
  );
  const ready: ProviderReady = { trustList, consumerPort, consumerCredential, providerDid: uk.did, offer: { ...dspOfferOf(offering), target: offering.id } };
  console.log(JSON.stringify(ready));
  for await (const line of createInterface({ input: process.stdin })) {
    const command = line.trim();
    if (command === 'cpu') console.log(JSON.stringify({ cpu: cpuMicros() }));
    if (command === 'idle') {
      const open = await uk.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM negotiation WHERE state IS NULL OR state <> 'FINALIZED'`);
      const pending = await uk.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM outbox_entry WHERE status = 'pending'`);
      console.log(JSON.stringify({ idle: Number(open?.n) === 0 && Number(pending?.n) === 0 }));
    }
    if (command === 'stop') break;
  }
  await uk.stop();
  await close();
  await rm(dataDir, { recursive: true, force: true });
}

const role = process.env['SOVC_DSP_BENCH_ROLE'];
if (role === 'provider') await runProvider(process.env['SOVC_DSP_BENCH_SYNC'] === 'normal' ? 'normal' : 'full');
