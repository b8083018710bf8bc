/**
 * Data-plane transfer bench (issue 7 "Benchmark"), in one run:
 * 1. throughput of an encrypted pull between two connectors over loopback (caller + transfer
 *    token, stored ciphertext streamed as is, verified and fsynced into the consumer's store)
 *    vs a plain HTTP stream of the same bytes over loopback into a fsynced file (target >= 0.8);
 * 2. the one-off encryption rate at `dataset add` vs the raw secretstream rate;
 * 3. the owner-held key-release round trip (ask, re-evaluate, seal, open; tiny dataset);
 * 4. peak RSS of the provider and the consumer, each in its own child process, moving 200 MB
 *    and 2 GB (target < 150 MB each, flat as size grows). The provider's peak includes its
 *    one-off `dataset add` of the same size; the RSS of each connector idle just before the
 *    transfer is printed too, to separate the data plane from the connector it runs in.
 * `SOVC_DPT_SKIP_RSS=1` skips part 4 (the 2 GB children take minutes).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { unwrap } from '../../src/errors/index.js';
import { agree, dataPlaneFederation, offer, startTransfer, type DataPlaneFederation } from '../dataplane/transfer/federation.js';
import { runConsumerChild, runProviderChild, type ProviderReady } from '../dataplane/transfer/bench-children.js';

const MB = 1024 * 1024;
const RSS_TARGET_MB = 150;

async function* generate(totalBytes: number): AsyncGenerator<Uint8Array> {
  const block = Buffer.alloc(MB);
  for (let i = 0; i < block.length; i += 1) block[i] = (i * 2654435761) >>> 24;
  for (let sent = 0; sent < totalBytes; sent += MB) yield block.subarray(0, Math.min(MB, totalBytes - sent));
}

function rawSecretstreamMBs(totalBytes: number): number {
  const na = createRequire(import.meta.url)('sodium-native') as Record<string, (...args: unknown[]) => unknown> & Record<string, number>;
  const state = Buffer.alloc(na.crypto_secretstream_xchacha20poly1305_STATEBYTES as number);
  const message = Buffer.alloc(64 * 1024, 0x5a);
  const out = Buffer.alloc(message.length + 17);
  na.crypto_secretstream_xchacha20poly1305_init_push!(state, Buffer.alloc(24), Buffer.alloc(32, 7));
  const start = performance.now();
  for (let done = 0; done < totalBytes; done += message.length) na.crypto_secretstream_xchacha20poly1305_push!(state, out, message, null, 0);
  return totalBytes / MB / ((performance.now() - start) / 1000);
}

async function seconds(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return (performance.now() - start) / 1000;
}

/** The same container bytes over plain loopback HTTP into a fsynced file: the baseline. */
async function plainHttpSeconds(file: string, dir: string): Promise<number> {
  const server = createServer((_req, res) => void pipeline(createReadStream(file, { highWaterMark: 64 * 1024 }), res).catch(() => undefined));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const out = join(dir, 'plain.copy');
  const took = await seconds(async () => {
    const response = await fetch(`http://127.0.0.1:${port}/`);
    await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), createWriteStream(out));
    const handle = await open(out, 'r');
    await handle.sync();
    await handle.close();
  });
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return took;
}

async function pullAndAdd(federation: DataPlaneFederation, dir: string): Promise<void> {
  const { uk, eu } = federation;
  const size = 256 * MB;
  const offering = await offer(uk, 'coalition-open');
  let added: Awaited<ReturnType<typeof uk.connector.dataPlane.addDataset>> | undefined;
  const addSeconds = await seconds(async () => (added = await uk.connector.dataPlane.addDataset({ source: generate(size), offeringId: offering.id, plaintextLength: size })));
  const dataset = unwrap(added!);
  const raw = rawSecretstreamMBs(size);
  const add = size / MB / addSeconds;
  console.log(`dataset add (generate, encrypt, sign, write + fsync, record): ${add.toFixed(0)} MB/s = ${(add / raw).toFixed(2)} x raw secretstream (${raw.toFixed(0)} MB/s)`);
  const agreementId = await agree(federation, offering);
  const file = join(uk.dataDir, 'ciphertext', 'objects', dataset.containerId);
  const mbytes = (await stat(file)).size / MB;
  // The machine is shared: runs alternate, and medians are compared.
  const plain: number[] = [];
  const pulled: number[] = [];
  for (let run = 0; run < 3; run += 1) {
    plain.push(mbytes / (await plainHttpSeconds(file, dir)));
    const transfer = await startTransfer(federation, agreementId);
    pulled.push(mbytes / (await seconds(async () => unwrap(await eu.connector.dataPlane.receive(transfer.id)))));
    await federation.settle();
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[1] as number;
  const ratio = median(pulled) / median(plain);
  const runs = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
  console.log(`encrypted pull of a ${mbytes.toFixed(0)} MB container (token checks, verify while storing, fsync, envelope, receipt): median ${median(pulled).toFixed(0)} MB/s (runs ${runs(pulled)})`);
  console.log(`plain HTTP stream of the same bytes over loopback into a fsynced file: median ${median(plain).toFixed(0)} MB/s (runs ${runs(plain)})`);
  console.log(`ratio encrypted / plain = ${ratio.toFixed(2)} (target >= 0.80: ${ratio >= 0.8 ? 'met' : 'NOT met'})`);
}

async function keyReleaseRoundTrip(federation: DataPlaneFederation): Promise<void> {
  const { uk, eu } = federation;
  const offering = await offer(uk, 'coalition-open', {}, 'owner-held');
  unwrap(await uk.connector.dataPlane.addDataset({ source: generate(4096), offeringId: offering.id, plaintextLength: 4096 }));
  const transfer = await startTransfer(federation, await agree(federation, offering));
  const received = unwrap(await eu.connector.dataPlane.receive(transfer.id));
  const times: number[] = [];
  for (let i = 0; i < 40; i += 1) {
    times.push(
      await seconds(async () => {
        for await (const _piece of unwrap(await eu.connector.dataPlane.openDataset(received.id, { purpose: 'research' })));
      }),
    );
  }
  times.sort((a, b) => a - b);
  const ms = (q: number) => (times[Math.floor(q * (times.length - 1))]! * 1000).toFixed(1);
  console.log(`owner-held key release round trip (request signed, policy re-evaluated, DEK sealed, envelope checked, 4 KiB opened): median ${ms(0.5)} ms, p90 ${ms(0.9)} ms over ${times.length}`);
}

function childOf(role: 'provider' | 'consumer', env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], { env: { ...process.env, ...env, SOVC_DPT_ROLE: role }, stdio: ['pipe', 'pipe', 'inherit'] });
}

function lines(child: ChildProcess): AsyncIterator<string> {
  const rl = (async function* () {
    let buffer = '';
    for await (const piece of child.stdout!) {
      buffer += String(piece);
      let at: number;
      while ((at = buffer.indexOf('\n')) >= 0) {
        yield buffer.slice(0, at);
        buffer = buffer.slice(at + 1);
      }
    }
  })();
  return rl[Symbol.asyncIterator]();
}

async function jsonLine<T>(iterator: AsyncIterator<string>): Promise<T> {
  for (;;) {
    const next = await iterator.next();
    if (next.done === true) throw new Error('child ended without its report');
    if (next.value.startsWith('{')) return JSON.parse(next.value) as T;
  }
}

async function peakRss(bytes: number): Promise<{ provider: number; consumer: number; mbps: number; providerIdle: number; consumerIdle: number }> {
  const provider = childOf('provider', { SOVC_DPT_BYTES: String(bytes) });
  const fromProvider = lines(provider);
  const ready = await jsonLine<ProviderReady>(fromProvider);
  const consumer = childOf('consumer', { SOVC_DPT_READY: JSON.stringify(ready) });
  const report = await jsonLine<{ maxRssMB: number; mbps: number; idleRssMB: number }>(lines(consumer));
  provider.stdin!.end('report\n');
  const providerReport = await jsonLine<{ maxRssMB: number }>(fromProvider);
  return { provider: providerReport.maxRssMB, consumer: report.maxRssMB, mbps: report.mbps, providerIdle: ready.idleRssMB, consumerIdle: report.idleRssMB };
}

export default async function bench(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'sovc-bench-dpt-'));
  const federation = await dataPlaneFederation({ proxies: false });
  try {
    await pullAndAdd(federation, dir);
    await keyReleaseRoundTrip(federation);
  } finally {
    await federation.stopAll();
    await rm(dir, { recursive: true, force: true });
  }
  if (process.env['SOVC_DPT_SKIP_RSS'] !== undefined) return;
  const small = await peakRss(200 * MB);
  const large = await peakRss(2048 * MB);
  console.log(`RSS of the idle connectors before the transfer: provider ${small.providerIdle.toFixed(0)} MB, consumer ${small.consumerIdle.toFixed(0)} MB`);
  console.log(`peak RSS moving 200 MB: provider ${small.provider.toFixed(0)} MB, consumer ${small.consumer.toFixed(0)} MB (pull ${small.mbps.toFixed(0)} MB/s)`);
  console.log(`peak RSS moving 2 GB:   provider ${large.provider.toFixed(0)} MB, consumer ${large.consumer.toFixed(0)} MB (pull ${large.mbps.toFixed(0)} MB/s)`);
  const worst = Math.max(large.provider, large.consumer);
  console.log(`target < ${RSS_TARGET_MB} MB each: ${worst < RSS_TARGET_MB ? 'met' : 'NOT met'}; 2 GB / 200 MB: provider ${(large.provider / small.provider).toFixed(2)}, consumer ${(large.consumer / small.consumer).toFixed(2)} (1.00 = flat)`);
}

if (process.env['SOVC_DPT_ROLE'] === 'provider') await runProviderChild(Number(process.env['SOVC_DPT_BYTES']), generate);
if (process.env['SOVC_DPT_ROLE'] === 'consumer') await runConsumerChild(JSON.parse(process.env['SOVC_DPT_READY'] ?? '{}') as ProviderReady);
