import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PullProgress } from '../../src/dataplane/index.js';
import { unwrap } from '../../src/errors/index.js';
import { collect, pattern, pieces } from '../dataplane/support.js';
import {
  agree, clearDataKey, containsAnyEncoding, dataPlaneFederation, keystoreSecrets, offer, startTransfer, type DataPlaneFederation,
} from '../dataplane/transfer/federation.js';

let federation: DataPlaneFederation;

beforeAll(async () => {
  federation = await dataPlaneFederation();
}, 60_000);
afterAll(() => federation.stopAll());

/** Adds a dataset for a fresh offering, agrees, starts a pull; returns what the test needs. */
async function prepared(data: Buffer, keyRelease?: 'owner-held') {
  const offering = await offer(federation.uk, 'coalition-open', {}, keyRelease);
  const dataset = unwrap(await federation.uk.connector.dataPlane.addDataset({ source: pieces(data), offeringId: offering.id, plaintextLength: data.length }));
  const agreementId = await agree(federation, offering);
  const transfer = await startTransfer(federation, agreementId);
  return { dataset, transfer };
}

describe('resume after cut connections', () => {
  const data = pattern(1_000_000, 5);

  it.each([[20], [300_000], [990_000]])('a connection cut after %i bytes resumes from the last whole chunk: byte-identical ciphertext and plaintext', async (cutAt) => {
    const { uk, eu } = federation;
    const { dataset, transfer } = await prepared(data);
    const cutsBefore = uk.proxy.cuts;
    const attempts = new Set<number>();
    uk.proxy.cutAfter(cutAt);
    const received = unwrap(await eu.connector.dataPlane.receive(transfer.id, (p: PullProgress) => attempts.add(p.attempt)));
    expect(uk.proxy.cuts).toBe(cutsBefore + 1);
    expect(attempts.has(2)).toBe(true);
    const theirs = readFileSync(join(uk.dataDir, 'ciphertext', 'objects', dataset.containerId));
    const ours = readFileSync(join(eu.dataDir, 'ciphertext', 'objects', received.containerId));
    expect(ours.equals(theirs)).toBe(true);
    expect((await collect(unwrap(await eu.connector.dataPlane.openDataset(received.id)))).equals(data)).toBe(true);
  });

  it('survives several cuts in one pull without fetching again what arrived', async () => {
    const { uk, eu } = federation;
    const { transfer } = await prepared(data);
    const seen: number[] = [];
    let attempt = 0;
    // All three cuts are armed up front: each counts the bytes after the previous one, whenever
    // the client happens to report progress.
    uk.proxy.cutAfter(150_000, 250_000, 200_000);
    const received = unwrap(
      await eu.connector.dataPlane.receive(transfer.id, (p) => {
        if (p.attempt === attempt) return;
        attempt = p.attempt;
        seen.push(p.bytes);
      }),
    );
    expect(attempt).toBe(4);
    // Each resumed attempt starts from a chunk boundary past what the previous one delivered.
    expect(seen.slice(1).every((bytes, i) => bytes > (seen[i] as number))).toBe(true);
    expect((await collect(unwrap(await eu.connector.dataPlane.openDataset(received.id)))).equals(data)).toBe(true);
  });
});

describe('wire capture', () => {
  it('neither the plaintext, nor any data key, nor any private key crosses the wire', async () => {
    const { uk, eu } = federation;
    const plain = Buffer.from(pattern(400_000, 9));
    plain.write('PATIENT NAME=Ada Lovelace; NHS=943 476 5919; DIAGNOSIS=confidential', 1000, 'latin1');
    const handover = await prepared(plain);
    unwrap(await eu.connector.dataPlane.receive(handover.transfer.id));
    const owned = await prepared(plain, 'owner-held');
    const ownedCopy = unwrap(await eu.connector.dataPlane.receive(owned.transfer.id));
    expect((await collect(unwrap(await eu.connector.dataPlane.openDataset(ownedCopy.id)))).equals(plain)).toBe(true);
    await federation.settle();

    const wire = Buffer.concat([uk.proxy.captured(), eu.proxy.captured()]);
    expect(wire.length).toBeGreaterThan(2 * plain.length);
    expect(wire.includes(Buffer.from('PATIENT NAME=Ada Lovelace'))).toBe(false);
    for (let at = 0; at + 64 <= plain.length; at += 50_000) expect(wire.includes(plain.subarray(at, at + 64)), `plaintext at ${at}`).toBe(false);
    const secrets = [
      await clearDataKey(uk, handover.dataset.dataKeyId as string),
      await clearDataKey(uk, owned.dataset.dataKeyId as string),
      ...(await keystoreSecrets(uk)),
      ...(await keystoreSecrets(eu)),
    ];
    for (const secret of secrets) expect(containsAnyEncoding(wire, secret)).toBe(false);
  });
});
