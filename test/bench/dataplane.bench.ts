/**
 * Data-plane format bench (issue 7): the one-off encryption rate at `dataset add` (a generated
 * 256 MB stream through the container writer into a file) against the raw secretstream rate
 * (sodium-native push in a loop), the decryption and verify-only rates, and the peak RSS of
 * encrypting 200 MB vs 2 GB streamed from a generator (each in a fresh child process; target
 * < 150 MB and flat). The HTTP pull vs plain stream ratio comes with the transfer endpoints.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { SimulatedClock } from '../../src/clock/index.js';
import { unwrap } from '../../src/errors/index.js';
import { createFileKms, MINIMUM_KDF_PARAMS } from '../../src/kms/index.js';
import { encryptToContainer, lendDataKey, loadBulkCrypto, openContainer, verifyContainerStream } from '../../src/dataplane/index.js';

const MB = 1024 * 1024;
const CHUNK = 64 * 1024;
const RSS_TARGET_MB = 150;

async function* generate(totalBytes: number): AsyncGenerator<Uint8Array> {
  const block = Buffer.alloc(MB, 0x5a);
  for (let sent = 0; sent < totalBytes; sent += MB) yield block.subarray(0, Math.min(MB, totalBytes - sent));
}

async function setup() {
  const dir = await mkdtemp(join(tmpdir(), 'sovc-bench-dataplane-'));
  const kms = unwrap(await createFileKms({ path: join(dir, 'keystore.sealed'), passphrase: 'bench', clock: new SimulatedClock(), kdf: MINIMUM_KDF_PARAMS }));
  const crypto = await loadBulkCrypto();
  const dataKeyId = (await kms.createDataKey('bench')).keyId;
  return { dir, kms, crypto, dataKeyId };
}

type Setup = Awaited<ReturnType<typeof setup>>;

function container(env: Setup, totalBytes: number) {
  return encryptToContainer(generate(totalBytes), {
    crypto: env.crypto, kms: env.kms, dataKeyId: env.dataKeyId, datasetId: 'urn:uuid:bench', datasetVersion: '1', signerDid: 'did:web:bench.example', plaintextLength: totalBytes,
  });
}

/** sodium-native secretstream push in a loop; with `hash`, also BLAKE2b over each output (the format's floor). */
function rawSecretstreamMBs(totalBytes: number, hash = false): number {
  const na = createRequire(import.meta.url)('sodium-native') as Record<string, (...args: unknown[]) => unknown> & Record<string, number>;
  const state = Buffer.alloc(na.crypto_secretstream_xchacha20poly1305_STATEBYTES as number);
  const header = Buffer.alloc(24);
  const key = Buffer.alloc(32, 7);
  const message = Buffer.alloc(CHUNK, 0x5a);
  const out = Buffer.alloc(CHUNK + 17);
  const hashState = Buffer.alloc(na.crypto_generichash_STATEBYTES as number);
  na.crypto_secretstream_xchacha20poly1305_init_push!(state, header, key);
  na.crypto_generichash_init!(hashState, null, 32);
  const start = performance.now();
  for (let done = 0; done < totalBytes; done += CHUNK) {
    na.crypto_secretstream_xchacha20poly1305_push!(state, out, message, null, 0);
    if (hash) na.crypto_generichash_update!(hashState, out);
  }
  return totalBytes / MB / ((performance.now() - start) / 1000);
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return (performance.now() - start) / 1000;
}

/** Child mode: encrypt `bytes` from a generator to /dev/null and report the peak RSS. */
async function rssChild(bytes: number): Promise<void> {
  const env = await setup();
  await pipeline(container(env, bytes), createWriteStream('/dev/null'));
  console.log(JSON.stringify({ maxRssMB: process.resourceUsage().maxRSS / 1024 }));
  await rm(env.dir, { recursive: true, force: true });
}

function peakRssMB(bytes: number): number {
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
    env: { ...process.env, SOVC_DATAPLANE_RSS_CHILD: String(bytes) }, encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`RSS child failed: ${child.stderr}`);
  return (JSON.parse(child.stdout.trim().split('\n').pop()!) as { maxRssMB: number }).maxRssMB;
}

export default async function bench(): Promise<void> {
  const env = await setup();
  const size = 256 * MB;
  const file = join(env.dir, 'container.sovc');
  const raw = rawSecretstreamMBs(size);
  const floor = rawSecretstreamMBs(size, true);
  const encSeconds = await timed(() => pipeline(container(env, size), createWriteStream(file)));
  const containerBytes = (await stat(file)).size;
  const signer = env.kms.activeSigningKey().publicKey;
  const decSeconds = await timed(() => pipeline(openContainer(createReadStream(file), { crypto: env.crypto, dek: lendDataKey(env.kms, env.dataKeyId), expectedSignerKey: signer }), createWriteStream('/dev/null')));
  const verSeconds = await timed(() => pipeline(verifyContainerStream(createReadStream(file), { crypto: env.crypto, expectedSignerKey: signer }), createWriteStream('/dev/null')));
  await rm(env.dir, { recursive: true, force: true });
  const enc = size / MB / encSeconds;
  console.log(`binding: ${env.crypto.binding}; 256 MB plaintext, 64 KiB chunks, container ${(containerBytes / MB).toFixed(1)} MB`);
  console.log(`raw secretstream push (sodium-native loop): ${raw.toFixed(0)} MB/s`);
  console.log(`raw push + BLAKE2b over the ciphertext (the format's crypto floor): ${floor.toFixed(0)} MB/s`);
  console.log(`container encryption to a file (dataset add): ${enc.toFixed(0)} MB/s = ${(enc / raw).toFixed(2)} x raw secretstream, ${(enc / floor).toFixed(2)} x push+hash`);
  console.log(`container decryption + verification from the file: ${(size / MB / decSeconds).toFixed(0)} MB/s`);
  console.log(`verify-only pass-through (no key): ${(containerBytes / MB / verSeconds).toFixed(0)} MB/s`);
  const small = peakRssMB(200 * MB);
  const large = peakRssMB(2048 * MB);
  console.log(`peak RSS encrypting 200 MB: ${small.toFixed(0)} MB; 2 GB: ${large.toFixed(0)} MB (target < ${RSS_TARGET_MB} MB; 2 GB / 200 MB = ${(large / small).toFixed(2)}, 1.00 = flat)`);
}

if (process.env.SOVC_DATAPLANE_RSS_CHILD !== undefined) await rssChild(Number(process.env.SOVC_DATAPLANE_RSS_CHILD));
