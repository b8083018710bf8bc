/**
 * Key custody figures: keystore unlock with the default Argon2id cost, sign/verify throughput,
 * and the cost of a keystore rewrite (createDataKey = wrap + seal + fsync + rename + fsync dir).
 * Target (issue 3): a signature verification under 5 ms; the ratio printed is target / measured.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../src/clock/index.js';
import { createFileKms, DEFAULT_KDF_PARAMS, MINIMUM_KDF_PARAMS, openKms, verifySignature, type FileKms } from '../../src/kms/index.js';

function perOp(label: string, count: number, started: number, targetMs?: number): void {
  const ms = (performance.now() - started) / count;
  const ratio = targetMs === undefined ? '' : `  (target ${targetMs} ms: ${(targetMs / ms).toFixed(0)}x under)`;
  console.log(`${label.padEnd(40)} ${ms.toFixed(3)} ms/op  ${Math.round(1000 / ms)} ops/s${ratio}`);
}

async function unwrapKms(result: Awaited<ReturnType<typeof createFileKms>>): Promise<FileKms> {
  if (!result.ok) throw new Error(result.detail);
  return result.value;
}

export default async function bench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kms-bench-'));
  const path = join(dir, 'keystore.sealed');
  try {
    let started = performance.now();
    (await unwrapKms(await createFileKms({ path, passphrase: 'bench passphrase', clock: systemClock, kdf: DEFAULT_KDF_PARAMS }))).close();
    perOp('create keystore (Argon2id MODERATE)', 1, started);
    started = performance.now();
    const kms = await unwrapKms(await openKms({ path, passphrase: 'bench passphrase', clock: systemClock }));
    perOp('open keystore (Argon2id MODERATE)', 1, started);

    const message = new Uint8Array(1024).fill(1);
    const n = 5000;
    started = performance.now();
    let last = await kms.sign(message);
    for (let i = 1; i < n; i++) last = await kms.sign(message);
    perOp('sign 1 KiB (Ed25519)', n, started);
    const publicKey = kms.activeSigningKey().publicKey;
    started = performance.now();
    for (let i = 0; i < n; i++) if (!verifySignature(message, last.signature, publicKey)) throw new Error('bad signature');
    perOp('verify 1 KiB (Ed25519)', n, started, 5);

    const dek = await kms.createDataKey('bench');
    started = performance.now();
    for (let i = 0; i < n; i++) await kms.withDataKey(dek.keyId, async (key) => key.length);
    perOp('withDataKey (unwrap + wipe)', n, started);

    const writes = 50;
    started = performance.now();
    await Promise.all(Array.from({ length: writes }, (_, i) => kms.createDataKey(`bench-${i}`)));
    perOp('createDataKey (durable rewrite)', writes, started);
    kms.close();

    const small = join(dir, 'min.sealed');
    started = performance.now();
    (await unwrapKms(await createFileKms({ path: small, passphrase: 'p', clock: systemClock, kdf: MINIMUM_KDF_PARAMS }))).close();
    perOp('create keystore (Argon2id MIN, tests)', 1, started);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
