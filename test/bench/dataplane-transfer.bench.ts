/**
 * Data-plane transfer bench, part 1 (issue 7 "Benchmark"); part 2, peak RSS, is
 * dataplane-transfer-rss.bench.ts. Both connectors run in this process, on loopback:
 * 1. the one-off encryption rate at `dataset add` (256 MB generated, encrypted, hashed,
 *    signed, written and fsynced, recorded) vs the raw secretstream rate and vs the floor of
 *    what the writer must compute (secretstream push + BLAKE2b of the records);
 * 2. the throughput of an encrypted pull (caller + transfer token, the stored ciphertext
 *    streamed as it is, verified while it arrives, written and fsynced into the consumer's
 *    store, envelope, signed receipt, completion) vs a plain HTTP stream of the same bytes:
 *    the same container file, served in the same read size as the connector's store serves
 *    it, fetched the same way (fetch), and written to disk and fsynced as the consumer does —
 *    once into a file through a WriteStream (a plain stream: the target, >= 0.8), once into
 *    the consumer's own store without verification (the strictest comparison: only the
 *    verification and the transfer protocol differ). Runs alternate; medians of 3;
 * 3. the owner-held key-release round trip (ask, re-evaluate, seal, open; tiny dataset).
 * The machine is shared: the load average is printed with the figures.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { READ_BYTES } from '../../src/dataplane/adapters/directory-store.js';
import { createDirectoryStore } from '../../src/dataplane/index.js';
import { unwrap } from '../../src/errors/index.js';
import type { Offering } from '../../src/offerings/index.js';
import { agree, dataPlaneFederation, offer, startTransfer, type DataPlaneFederation } from '../dataplane/transfer/federation.js';
import { generate } from '../dataplane/transfer/bench-children.js';

const MB = 1024 * 1024;
const SIZE = 256 * MB;

type Sodium = Record<string, (...args: unknown[]) => unknown> & Record<string, number>;

/** MB/s of secretstream push over `totalBytes` in 64 KiB messages, plus BLAKE2b of each record when `hashed`. */
function rawSecretstreamMBs(totalBytes: number, hashed: boolean): number {
  const na = createRequire(import.meta.url)('sodium-native') as Sodium;
  const state = Buffer.alloc(na.crypto_secretstream_xchacha20poly1305_STATEBYTES as number);
  const hash = Buffer.alloc(na.crypto_generichash_STATEBYTES as number);
  const message = Buffer.alloc(64 * 1024, 0x5a);
  const out = Buffer.alloc(message.length + 17);
  na.crypto_secretstream_xchacha20poly1305_init_push!(state, Buffer.alloc(24), Buffer.alloc(32, 7));
  na.crypto_generichash_init!(hash, null, 32);
  const start = performance.now();
  for (let done = 0; done < totalBytes; done += message.length) {
    na.crypto_secretstream_xchacha20poly1305_push!(state, out, message, null, 0);
    if (hashed) na.crypto_generichash_update!(hash, out);
  }
  return totalBytes / MB / ((performance.now() - start) / 1000);
}

async function seconds(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return (performance.now() - start) / 1000;
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number;
const runs = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
const load = () => `load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`;

/** Where the plain baselines put the bytes they fetch. */
type PlainSink = (body: ReadableStream<Uint8Array>, run: number) => Promise<void>;

/** Node's idiomatic way: a WriteStream into a file, then fsync. */
function intoFile(dir: string): PlainSink {
  return async (body) => {
    const out = join(dir, 'plain.copy');
    await pipeline(Readable.fromWeb(body as import('node:stream/web').ReadableStream), createWriteStream(out));
    const handle = await open(out, 'r');
    await handle.sync();
    await handle.close();
    await rm(out);
  };
}

/** The consumer's own store, without verification: the very writes, fsyncs and rename of a pull. */
async function intoStore(dir: string): Promise<PlainSink> {
  const store = await createDirectoryStore({ dir: join(dir, 'plain-store') });
  return async (body, run) => {
    unwrap(await store.put(`plain-${run}`, body));
    await store.delete(`plain-${run}`);
  };
}

/** The container file over loopback HTTP, served in the store's read size, into `sink`. */
async function plainHttpSeconds(file: string, sink: PlainSink, run: number): Promise<number> {
  const server = createServer((_req, res) => void pipeline(createReadStream(file, { highWaterMark: READ_BYTES }), res).catch(() => undefined));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const took = await seconds(async () => sink((await fetch(`http://127.0.0.1:${port}/`)).body!, run));
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return took;
}

/** Adds the 256 MB dataset three times; returns the container file of the last. */
async function addFigures(federation: DataPlaneFederation): Promise<{ file: string; offering: Offering }> {
  const { uk } = federation;
  const offering = await offer(uk, 'coalition-open');
  const rates: number[] = [];
  let containerId = '';
  for (let run = 0; run < 3; run += 1) {
    let added: Awaited<ReturnType<typeof uk.connector.dataPlane.addDataset>> | undefined;
    rates.push(SIZE / MB / (await seconds(async () => (added = await uk.connector.dataPlane.addDataset({ source: generate(SIZE), offeringId: offering.id, plaintextLength: SIZE })))));
    containerId = unwrap(added!).containerId;
  }
  const raw = median([0, 1, 2].map(() => rawSecretstreamMBs(SIZE, false)));
  const floor = median([0, 1, 2].map(() => rawSecretstreamMBs(SIZE, true)));
  const add = median(rates);
  console.log(`dataset add of 256 MB (generate, encrypt, BLAKE2b, sign, write + fsync, record): median ${add.toFixed(0)} MB/s (runs ${runs(rates)}; ${load()})`);
  console.log(`  = ${(add / raw).toFixed(2)} x raw secretstream push (${raw.toFixed(0)} MB/s), ${(add / floor).toFixed(2)} x push + BLAKE2b, the least the writer computes (${floor.toFixed(0)} MB/s)`);
  return { file: join(uk.dataDir, 'ciphertext', 'objects', containerId), offering };
}

async function pullFigures(federation: DataPlaneFederation, dir: string, added: { file: string; offering: Offering }): Promise<void> {
  const { eu } = federation;
  const agreementId = await agree(federation, added.offering);
  const mbytes = (await stat(added.file)).size / MB;
  const [toFile, toStore] = [intoFile(dir), await intoStore(dir)];
  const rates = { file: [] as number[], store: [] as number[], pulled: [] as number[] };
  for (let run = 0; run < 3; run += 1) {
    rates.file.push(mbytes / (await plainHttpSeconds(added.file, toFile, run)));
    rates.store.push(mbytes / (await plainHttpSeconds(added.file, toStore, run)));
    const transfer = await startTransfer(federation, agreementId);
    rates.pulled.push(mbytes / (await seconds(async () => unwrap(await eu.connector.dataPlane.receive(transfer.id)))));
    await federation.settle();
  }
  const [pull, file, store] = [median(rates.pulled), median(rates.file), median(rates.store)];
  console.log(`encrypted pull of a ${mbytes.toFixed(0)} MB container (tokens, verify while storing, write + fsync, envelope, receipt): median ${pull.toFixed(0)} MB/s (runs ${runs(rates.pulled)})`);
  console.log(`plain HTTP of the same file, served in ${READ_BYTES / 1024} KiB reads as the store serves it, fetched, then written and fsynced:`);
  console.log(`  into a file with a WriteStream (a plain stream, the issue's baseline): median ${file.toFixed(0)} MB/s (runs ${runs(rates.file)})`);
  console.log(`  into the consumer's own store (its very writes, fsyncs and rename, no verification): median ${store.toFixed(0)} MB/s (runs ${runs(rates.store)})`);
  console.log(`ratio encrypted / plain stream into a file = ${(pull / file).toFixed(2)} (target >= 0.80: ${pull / file >= 0.8 ? 'met' : 'NOT met'}); encrypted / plain into the same store = ${(pull / store).toFixed(2)} (${load()})`);
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

export default async function bench(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'sovc-bench-dpt-'));
  const federation = await dataPlaneFederation({ proxies: false });
  try {
    const added = await addFigures(federation);
    await pullFigures(federation, dir, added);
    await keyReleaseRoundTrip(federation);
  } finally {
    await federation.stopAll();
    // The connectors' data folders hold three 256 MB containers and every copy pulled.
    await Promise.all([dir, federation.uk.dataDir, federation.eu.dataDir].map((path) => rm(path, { recursive: true, force: true })));
  }
}
