import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unwrap } from '../../src/errors/index.js';
import { settle } from '../../src/dataplane/index.js';
import { collect, pattern, pieces } from '../dataplane/support.js';
import { agree, dataPlaneFederation, offer, startTransfer, type DataPlaneFederation } from '../dataplane/transfer/federation.js';

let federation: DataPlaneFederation;

beforeAll(async () => {
  federation = await dataPlaneFederation();
}, 60_000);
afterAll(() => federation.stopAll());

describe('encrypted pull between two connectors (handover)', () => {
  it('moves the stored ciphertext, imports the key wrapped, completes with a signed receipt the provider stores', async () => {
    const { uk, eu } = federation;
    const offering = await offer(uk, 'coalition-open');
    const data = pattern(300_000, 7);
    const added = unwrap(await uk.connector.dataPlane.addDataset({ source: pieces(data), offeringId: offering.id, plaintextLength: data.length }));
    const agreementId = await agree(federation, offering);
    const transfer = await startTransfer(federation, agreementId);
    expect(transfer.state).toBe('STARTED');

    const received = unwrap(await eu.connector.dataPlane.receive(transfer.id));
    await federation.settle();
    expect(received).toMatchObject({ origin: 'received', keyRelease: 'handover', containerDigest: added.containerDigest, offeringId: offering.id });
    expect(received.dataKeyId).toBeDefined();
    expect((await eu.connector.dsp.transfers.get(transfer.id))?.state).toBe('COMPLETED');

    const opened = unwrap(await eu.connector.dataPlane.openDataset(received.id));
    expect((await collect(opened)).equals(data)).toBe(true);

    const outbound = await uk.connector.dataPlane.provider.outbound(transfer.providerPid as string);
    expect(outbound?.receipt).toMatchObject({ transferId: transfer.providerPid, consumerDid: eu.connector.did, containerDigest: `blake2b-256:${added.containerDigest}` });
    const types = (await uk.connector.audit.tail(100)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['dataset.added', 'key.released', 'transfer.receipt']));
  });

  it('refuses to open a dataset after its key was shredded', async () => {
    const { uk } = federation;
    const offering = await offer(uk, 'coalition-open');
    const added = unwrap(await uk.connector.dataPlane.addDataset({ source: pieces(pattern(5000)), offeringId: offering.id }));
    unwrap(await uk.connector.dataPlane.shredDataset(added.id, 'admin:test'));
    const opened = await uk.connector.dataPlane.openDataset(added.id);
    expect(opened.ok ? 'opened' : opened.code).toBe('SOV_DATAPLANE_DATASET_SHREDDED');
    const key = await settle(() => uk.connector.kms.withDataKey(added.dataKeyId as string, async () => 'used'));
    expect(key.ok && !key.value.ok && key.value.code).toBe('SOV_KMS_KEY_DESTROYED');
  });
});
