/** Shared fixtures for the data-plane tests: a real file kms per party, byte helpers. */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedClock } from '../../src/clock/index.js';
import { unwrap, type Failure } from '../../src/errors/index.js';
import { createFileKms, MINIMUM_KDF_PARAMS, type FileKms } from '../../src/kms/index.js';
import {
  createDirectoryStore, encryptToContainer, lendDataKey, loadBulkCrypto, openContainer, settle, verifyContainerStream,
  type BulkCrypto, type CiphertextStore, type ContainerSummary, type EncryptOptions,
} from '../../src/dataplane/index.js';

export interface Party {
  dir: string;
  clock: SimulatedClock;
  kms: FileKms;
  did: string;
}

export async function makeParty(name: string, clock = new SimulatedClock()): Promise<Party> {
  const dir = await mkdtemp(join(tmpdir(), `sovc-dataplane-${name}-`));
  const kms = unwrap(await createFileKms({ path: join(dir, 'keystore.sealed'), passphrase: `${name} passphrase`, clock, kdf: MINIMUM_KDF_PARAMS }));
  return { dir, clock, kms, did: `did:web:${name}.example` };
}

/** Deterministic, non-repeating-looking bytes (no randomness in tests). */
export function pattern(length: number, seed = 1): Buffer {
  const out = Buffer.alloc(length);
  let x = seed * 2654435761;
  for (let i = 0; i < length; i += 1) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** Feeds `data` in pieces of `size` bytes (not aligned with chunks, as a socket would). */
export async function* pieces(data: Uint8Array, size = 7001): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < data.length; at += size) yield data.subarray(at, Math.min(data.length, at + size));
}

export async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const out: Uint8Array[] = [];
  for await (const piece of source) out.push(Uint8Array.from(piece));
  return Buffer.concat(out);
}

export interface Sealed {
  bytes: Buffer;
  summary: ContainerSummary;
  dataKeyId: string;
}

export async function seal(
  party: Party,
  crypto: BulkCrypto,
  data: Uint8Array,
  extra: Partial<EncryptOptions> = {},
): Promise<Sealed> {
  const dataKeyId = extra.dataKeyId ?? (await party.kms.createDataKey('dataset:test')).keyId;
  const output = encryptToContainer(pieces(data), {
    crypto, kms: party.kms, dataKeyId, datasetId: 'urn:uuid:ds-1', datasetVersion: '3', signerDid: party.did, chunkSize: 1024, ...extra,
  });
  const bytes = await collect(output);
  return { bytes, summary: output.summary!, dataKeyId };
}

/** A provider (`uk`) holding one sealed container of 6 KiB and a bit in its directory store, and a consumer party (`ca`). */
export interface StoredContainer {
  crypto: BulkCrypto;
  uk: Party;
  ca: Party;
  sealed: Sealed;
  provider: CiphertextStore;
}

export async function storedContainer(id: string, seed: number): Promise<StoredContainer> {
  const crypto = await loadBulkCrypto();
  const uk = await makeParty('uk');
  const sealed = await seal(uk, crypto, pattern(6 * 1024 + 77, seed));
  const provider = await createDirectoryStore({ dir: join(uk.dir, 'ciphertext') });
  unwrap(await provider.put(id, pieces(sealed.bytes)));
  return { crypto, uk, ca: await makeParty('ca'), sealed, provider };
}

/** Decrypts fully; returns the plaintext and summary, or the failure the reader refused with. */
export async function tryOpen(party: Party, crypto: BulkCrypto, bytes: Uint8Array, dataKeyId: string, signerKey = party.kms.activeSigningKey().publicKey) {
  const output = openContainer(pieces(bytes, 5003), { crypto, dek: lendDataKey(party.kms, dataKeyId), expectedSignerKey: signerKey });
  const result = await settle(() => collect(output));
  return result.ok
    ? { ok: true as const, plaintext: result.value, summary: output.verified! }
    : { ok: false as const, failure: result as Failure, verified: output.verified };
}

/** Verifies without the key; returns the passed-through ciphertext or the failure. */
export async function tryVerify(crypto: BulkCrypto, bytes: Uint8Array, signerKey: Uint8Array) {
  const output = verifyContainerStream(pieces(bytes, 4099), { crypto, expectedSignerKey: signerKey });
  const result = await settle(() => collect(output));
  return result.ok ? { ok: true as const, passed: result.value, summary: output.verified! } : { ok: false as const, failure: result as Failure };
}
