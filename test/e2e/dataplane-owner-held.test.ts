import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetRecord } from '../../src/dataplane/index.js';
import { unwrap, type Result } from '../../src/errors/index.js';
import { collect, pattern, pieces } from '../dataplane/support.js';
import { agree, clearDataKey, containsAnyEncoding, dataPlaneFederation, offer, startTransfer, type DataPlaneFederation } from '../dataplane/transfer/federation.js';

let federation: DataPlaneFederation;
const DAY = 24 * 60 * 60_000;

beforeAll(async () => {
  federation = await dataPlaneFederation();
}, 60_000);
afterAll(() => federation.stopAll());

interface Held {
  received: DatasetRecord;
  agreementId: string;
  providerDataset: DatasetRecord;
  data: Buffer;
}

/** An owner-held offer from UK, agreed and pulled by EU. */
async function receiveOwnerHeld(template: string, params: Record<string, unknown> = {}): Promise<Held> {
  const { uk, eu } = federation;
  const offering = await offer(uk, template, params, 'owner-held');
  const data = pattern(150_000, 11);
  const providerDataset = unwrap(await uk.connector.dataPlane.addDataset({ source: pieces(data), offeringId: offering.id }));
  const agreementId = await agree(federation, offering);
  const transfer = await startTransfer(federation, agreementId);
  const received = unwrap(await eu.connector.dataPlane.receive(transfer.id));
  await federation.settle();
  expect((await eu.connector.dsp.transfers.get(transfer.id))?.state).toBe('COMPLETED');
  return { received, agreementId, providerDataset, data };
}

async function open(id: string, purpose?: string): Promise<Result<Buffer>> {
  const output = await federation.eu.connector.dataPlane.openDataset(id, purpose === undefined ? {} : { purpose });
  return output.ok ? { ok: true, value: await collect(output.value) } : output;
}

const codeOf = (result: Result<unknown>) => (result.ok ? 'opened' : result.code);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('owner-held key release', () => {
  it('stores no key, opens with a one-time release per use while the agreement holds, refuses once its uses are spent', async () => {
    const { uk, eu } = federation;
    const keysBefore = eu.connector.kms.listKeys().filter((k) => k.kind === 'data').length;
    const held = await receiveOwnerHeld('count-limited', { uses: 2 });
    expect(held.received).toMatchObject({ keyRelease: 'owner-held', origin: 'received' });
    expect(held.received.dataKeyId).toBeUndefined();
    expect(eu.connector.kms.listKeys().filter((k) => k.kind === 'data')).toHaveLength(keysBefore);

    expect(unwrap(await open(held.received.id, 'research')).equals(held.data)).toBe(true);
    expect(unwrap(await open(held.received.id, 'research')).equals(held.data)).toBe(true);
    expect(codeOf(await open(held.received.id, 'research'))).toBe('SOV_DATAPLANE_POLICY_REFUSED');

    const provider = (await uk.connector.audit.tail(200)).filter((e) => e.subjects.includes(held.agreementId));
    expect(provider.filter((e) => e.type === 'key.released' && (e.details as { keyReleaseMode?: string }).keyReleaseMode === 'owner-held')).toHaveLength(2);
    const refusals = (await uk.connector.audit.tail(200)).filter(
      (e) => e.type === 'policy.decision' && e.subjects.includes(held.received.offeringId) && (e.details as { stage?: string }).stage === 'key-release',
    );
    expect(refusals.map((e) => (e.details as { outcome: string; counterpartyDid: string }).counterpartyDid)).toEqual([eu.connector.did]);
    const consumer = (await eu.connector.audit.tail(200)).filter((e) => e.subjects.includes(held.agreementId));
    expect(consumer.filter((e) => e.type === 'key.released').map((e) => (e.details as { outcome: string }).outcome)).toEqual(['released', 'released']);
    expect(consumer.filter((e) => e.type === 'policy.decision').map((e) => (e.details as { code: string }).code)).toEqual(['SOV_DATAPLANE_POLICY_REFUSED']);
  });

  it('is refused after the agreement expires (simulated clock)', async () => {
    const held = await receiveOwnerHeld('time-limited', { days: 1 });
    expect(codeOf(await open(held.received.id))).toBe('opened');
    federation.clock.advance(2 * DAY);
    expect(codeOf(await open(held.received.id))).toBe('SOV_DATAPLANE_POLICY_REFUSED');
  });

  it('is refused after the owner revokes the agreement', async () => {
    const held = await receiveOwnerHeld('coalition-open');
    expect(codeOf(await open(held.received.id))).toBe('opened');
    unwrap(await federation.uk.connector.dataPlane.provider.revokeAgreement({ agreementId: held.agreementId, reason: 'consent withdrawn' }));
    expect(codeOf(await open(held.received.id))).toBe('SOV_DATAPLANE_AGREEMENT_REVOKED');
  });

  it('is refused for ever after the owner crypto-shreds the dataset', async () => {
    const held = await receiveOwnerHeld('coalition-open');
    expect(codeOf(await open(held.received.id))).toBe('opened');
    unwrap(await federation.uk.connector.dataPlane.shredDataset(held.providerDataset.id, 'admin:dpo'));
    expect(codeOf(await open(held.received.id))).toBe('SOV_DATAPLANE_DATASET_SHREDDED');
  });

  it('never writes the data key to the consumer\'s disk (data dir, keystore, store, database)', async () => {
    const { uk, eu } = federation;
    const held = await receiveOwnerHeld('coalition-open');
    expect(codeOf(await open(held.received.id))).toBe('opened');
    const dek = await clearDataKey(uk, held.providerDataset.dataKeyId as string);
    const files = filesUnder(eu.dataDir);
    expect(files.some((f) => f.endsWith('keystore.sealed'))).toBe(true);
    expect(files.some((f) => f.includes(join('ciphertext', 'objects')))).toBe(true);
    for (const file of files) expect(containsAnyEncoding(readFileSync(file), dek), file).toBe(false);
  });
});
