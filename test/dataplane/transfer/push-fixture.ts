/**
 * What the push tests share over a `DataPlaneFederation` (UK provider, EU consumer): a push
 * transfer prepared up to STARTED, a push by hand, and what a consumer must hold after a
 * completed or a refused push.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { DatasetRecord } from '../../../src/dataplane/index.js';
import { unwrap, type Result } from '../../../src/errors/index.js';
import type { TransferProcess } from '../../../src/transfer/index.js';
import { collect, pieces } from '../support.js';
import { agree, offer, type DataPlaneFederation, type Party } from './federation.js';

export const codeOf = (result: Result<unknown>) => (result.ok ? 'accepted' : result.code);
export const containerOf = (party: Party, id: string) => readFileSync(join(party.dataDir, 'ciphertext', 'objects', id));

/** The helpers over the federation `current()` answers (created in a `beforeAll`). */
export function pushFixture(current: () => DataPlaneFederation) {
  const dataKeys = () => current().eu.connector.kms.listKeys().filter((k) => k.kind === 'data').length;
  const stateOf = async (party: Party, id: string) => (await party.connector.dsp.transfers.get(id))?.state;
  const receivedOf = (transfer: TransferProcess) => current().eu.connector.dataPlane.datasets.findReceived(transfer.providerPid as string);

  /** Requests a push transfer under `agreementId` (our data plane opens the sink and names it) and lets it start. */
  async function startPush(agreementId: string): Promise<TransferProcess> {
    const federation = current();
    const requested = unwrap(await federation.eu.connector.dsp.transfers.start({ agreementId, format: 'HttpData-PUSH' }));
    await federation.settle();
    return (await federation.eu.connector.dsp.transfers.get(requested.id)) as TransferProcess;
  }

  /** A fresh offering with `data` (under contract `template`), agreed, its push transfer STARTED. */
  async function prepared(data: Buffer, keyRelease?: 'owner-held', template = 'coalition-open', params: Record<string, unknown> = {}) {
    const federation = current();
    const offering = await offer(federation.uk, template, params, keyRelease);
    const dataset = unwrap(await federation.uk.connector.dataPlane.addDataset({ source: pieces(data), offeringId: offering.id, plaintextLength: data.length }));
    const agreementId = await agree(federation, offering);
    const transfer = await startPush(agreementId);
    return { dataset, agreementId, transfer, providerPid: transfer.providerPid as string };
  }

  /** The provider pushes by hand (these federations do not push by themselves), then the outboxes settle. */
  async function push(providerPid: string): Promise<string> {
    const pushed = await current().uk.connector.dataPlane.provider.push(providerPid);
    await current().settle();
    return codeOf(pushed);
  }

  /** What a refused push must leave on the consumer: no COMPLETED, no dataset, no ciphertext (committed or pending), no imported key. */
  async function expectNothingKept(transfer: TransferProcess, keysBefore: number): Promise<void> {
    const { eu } = current();
    expect(await stateOf(eu, transfer.id)).not.toBe('COMPLETED');
    expect(await receivedOf(transfer)).toBeUndefined();
    expect(await eu.connector.dataPlane.store.has(transfer.id)).toBe(false);
    expect(await eu.connector.dataPlane.store.pendingSize(transfer.id)).toBeUndefined();
    expect(dataKeys()).toBe(keysBefore);
  }

  /** Both sides COMPLETED, the dataset kept with the provider's container byte for byte, and it opens to `data`. */
  async function expectReceivedIntact(transfer: TransferProcess, dataset: DatasetRecord, data: Buffer): Promise<DatasetRecord> {
    const { uk, eu } = current();
    expect(await stateOf(eu, transfer.id)).toBe('COMPLETED');
    expect(await stateOf(uk, transfer.providerPid as string)).toBe('COMPLETED');
    const received = (await receivedOf(transfer)) as DatasetRecord;
    expect(received).toMatchObject({ origin: 'received', containerDigest: dataset.containerDigest, offeringId: dataset.offeringId });
    expect(containerOf(eu, received.containerId).equals(containerOf(uk, dataset.containerId))).toBe(true);
    expect((await collect(unwrap(await eu.connector.dataPlane.openDataset(received.id)))).equals(data)).toBe(true);
    return received;
  }

  return { dataKeys, stateOf, receivedOf, startPush, prepared, push, expectNothingKept, expectReceivedIntact };
}
