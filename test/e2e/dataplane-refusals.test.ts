import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidGenerator } from '../../src/clock/index.js';
import { createDataPlaneRemote, createSqlOutboundTransferRepository, encryptToContainer, issueKeyEnvelope, loadBulkCrypto, readPullAddress, TRANSFER_TOKEN_HEADER, type KeyEnvelope } from '../../src/dataplane/index.js';
import { unwrap, type Result } from '../../src/errors/index.js';
import type { TransferProcess } from '../../src/transfer/index.js';
import { collect, pattern, pieces } from '../dataplane/support.js';
import { agree, dataPlaneFederation, offer, startTransfer, type DataPlaneFederation } from '../dataplane/transfer/federation.js';
import { newKms } from './dsp-support.js';

let federation: DataPlaneFederation;
let agreementId: string;
let containerId: string;
let dataKeyId: string;
const data = pattern(200_000, 3);
const MINUTE = 60_000;

beforeAll(async () => {
  federation = await dataPlaneFederation();
  const offering = await offer(federation.uk, 'coalition-open');
  const added = unwrap(await federation.uk.connector.dataPlane.addDataset({ source: pieces(data), offeringId: offering.id, plaintextLength: data.length }));
  containerId = added.containerId;
  dataKeyId = added.dataKeyId as string;
  agreementId = await agree(federation, offering);
}, 60_000);
afterAll(() => federation.stopAll());

const codeOf = (result: Result<unknown>) => (result.ok ? 'accepted' : result.code);
const dataKeys = () => federation.eu.connector.kms.listKeys().filter((k) => k.kind === 'data').length;

/** What a refused pull must leave: no COMPLETED, no dataset, no ciphertext (committed or pending), no imported key. */
async function expectNothingKept(transfer: TransferProcess, keysBefore: number): Promise<void> {
  const { eu } = federation;
  expect((await eu.connector.dsp.transfers.get(transfer.id))?.state).not.toBe('COMPLETED');
  expect(await eu.connector.dataPlane.datasets.findReceived(transfer.providerPid as string)).toBeUndefined();
  expect(await eu.connector.dataPlane.store.has(transfer.id)).toBe(false);
  expect(await eu.connector.dataPlane.store.pendingSize(transfer.id)).toBeUndefined();
  expect(dataKeys()).toBe(keysBefore);
}

/** Runs a pull while the provider serves altered container bytes (a malicious or broken provider). */
async function pullServing(alter: (bytes: Buffer) => Buffer): Promise<string> {
  const path = join(federation.uk.dataDir, 'ciphertext', 'objects', containerId);
  const original = readFileSync(path);
  writeFileSync(path, alter(Buffer.from(original)));
  try {
    const transfer = await startTransfer(federation, agreementId);
    const before = dataKeys();
    const result = await federation.eu.connector.dataPlane.receive(transfer.id);
    await expectNothingKept(transfer, before);
    return codeOf(result);
  } finally {
    writeFileSync(path, original);
  }
}

const flip = (at: (b: Buffer) => number) => (bytes: Buffer) => {
  const index = at(bytes);
  bytes[index] = (bytes[index] as number) ^ 0x01;
  return bytes;
};

describe('a consumer refuses altered containers and keeps nothing', () => {
  it('truncated', async () => expect(await pullServing((b) => b.subarray(0, b.length - 50))).toBe('SOV_DATAPLANE_TRUNCATED'));
  it('one flipped byte in the header', async () => expect(await pullServing(flip(() => 30))).toBe('SOV_DATAPLANE_DIGEST_MISMATCH'));
  it('one flipped byte in the body', async () => expect(await pullServing(flip((b) => Math.floor(b.length / 2)))).toBe('SOV_DATAPLANE_DIGEST_MISMATCH'));
  it('one flipped byte in the trailer digest', async () => expect(await pullServing(flip((b) => b.length - 70))).toBe('SOV_DATAPLANE_DIGEST_MISMATCH'));
  it('one flipped byte in the trailer signature', async () => expect(await pullServing(flip((b) => b.length - 1))).toBe('SOV_DATAPLANE_SIGNATURE_INVALID'));

  it('a container signed by another key under the provider\'s name', async () => {
    const attacker = await newKms(federation.clock);
    const dek = await attacker.createDataKey('forged');
    const crypto = await loadBulkCrypto();
    const forged = await collect(
      encryptToContainer(pieces(data), { crypto, kms: attacker, dataKeyId: dek.keyId, datasetId: 'x', datasetVersion: '1', signerDid: federation.uk.connector.did }),
    );
    expect(await pullServing(() => forged)).toBe('SOV_DATAPLANE_SIGNATURE_INVALID');
  });
});

describe('a consumer refuses foreign key envelopes', () => {
  async function pullWithEnvelope(make: (transfer: TransferProcess) => Promise<KeyEnvelope>): Promise<string> {
    const { uk, eu } = federation;
    const transfer = await startTransfer(federation, agreementId);
    const records = createSqlOutboundTransferRepository(uk.connector.db);
    const record = await records.get(transfer.providerPid as string);
    if (record === undefined) throw new Error('no outbound record');
    await records.save({ ...record, envelope: await make(transfer) });
    const before = dataKeys();
    const result = await eu.connector.dataPlane.receive(transfer.id);
    await expectNothingKept(transfer, before);
    return codeOf(result);
  }

  async function envelope(over: { transferId?: string; recipient?: { did: string; keyId: string; publicKey: Uint8Array }; signer?: 'attacker' }, transfer: TransferProcess) {
    const { uk, eu } = federation;
    const attacker = over.signer === 'attacker' ? await newKms(federation.clock) : undefined;
    const kms = attacker ?? uk.connector.kms;
    const key = attacker === undefined ? dataKeyId : (await attacker.createDataKey('forged')).keyId;
    const record = await createSqlOutboundTransferRepository(uk.connector.db).get(transfer.providerPid as string);
    const recipient = over.recipient ?? { did: eu.connector.did, keyId: `${eu.connector.did}#${eu.connector.kms.activeAgreementKey().keyId}`, publicKey: eu.connector.kms.activeAgreementKey().publicKey };
    return unwrap(
      await issueKeyEnvelope({
        kms, clock: federation.clock, issuerDid: uk.connector.did, dataKeyId: key, recipient, transferId: over.transferId ?? (transfer.providerPid as string),
        agreementId, datasetId: record?.offeringId as string, containerDigest: Buffer.from(record?.containerDigest as string, 'hex'), release: 'handover', ttlMs: 10 * MINUTE,
      }),
    );
  }

  it('bound to another transfer', async () => {
    expect(await pullWithEnvelope((t) => envelope({ transferId: 'urn:uuid:another-transfer' }, t))).toBe('SOV_DATAPLANE_ENVELOPE_WRONG_TRANSFER');
  });

  it('addressed to another recipient', async () => {
    const other = await newKms(federation.clock);
    const recipient = { did: 'did:web:elsewhere.example', keyId: 'did:web:elsewhere.example#enc-1', publicKey: other.activeAgreementKey().publicKey };
    expect(await pullWithEnvelope((t) => envelope({ recipient }, t))).toBe('SOV_DATAPLANE_ENVELOPE_WRONG_RECIPIENT');
  });

  it('signed by another key', async () => {
    expect(await pullWithEnvelope((t) => envelope({ signer: 'attacker' }, t))).toBe('SOV_DATAPLANE_ENVELOPE_SIGNATURE_INVALID');
  });
});

describe('the provider refuses tokens and transfers that no longer hold', () => {
  const remoteOf = () => createDataPlaneRemote({ did: federation.eu.connector.did, kms: federation.eu.connector.kms, clock: federation.clock, ids: uuidGenerator });

  it('an expired transfer token', async () => {
    const transfer = await startTransfer(federation, agreementId);
    federation.clock.advance(61 * MINUTE);
    const before = dataKeys();
    expect(codeOf(await federation.eu.connector.dataPlane.receive(transfer.id))).toBe('SOV_DATAPLANE_TOKEN_EXPIRED');
    await expectNothingKept(transfer, before);
  });

  it('a token replayed after its transfer completed, and a token presented by another connector', async () => {
    const { uk, eu } = federation;
    const transfer = await startTransfer(federation, agreementId);
    unwrap(await eu.connector.dataPlane.receive(transfer.id));
    await federation.settle();
    const address = unwrap(readPullAddress(transfer.dataAddress));
    const again = await remoteOf().getStream(address.containerUrl, uk.connector.did, { [TRANSFER_TOKEN_HEADER]: address.token });
    expect(codeOf(again)).toBe('SOV_DATAPLANE_TOKEN_REPLAYED');
    const stranger = createDataPlaneRemote({ did: uk.connector.did, kms: uk.connector.kms, clock: federation.clock, ids: uuidGenerator });
    expect(codeOf(await stranger.getStream(address.containerUrl, uk.connector.did, { [TRANSFER_TOKEN_HEADER]: address.token }))).toBe('SOV_DATAPLANE_TOKEN_FOREIGN');
    expect(codeOf(await remoteOf().getStream(address.containerUrl, uk.connector.did, {}))).toBe('SOV_DATAPLANE_TOKEN_MISSING');
  });

  it('a suspended transfer', async () => {
    const { uk, eu } = federation;
    const transfer = await startTransfer(federation, agreementId);
    unwrap(await uk.connector.dsp.transfers.suspend(transfer.providerPid as string));
    await federation.settle();
    const before = dataKeys();
    expect(codeOf(await eu.connector.dataPlane.pull(transfer))).toBe('SOV_DATAPLANE_TRANSFER_NOT_ACTIVE');
    await expectNothingKept(transfer, before);
  });

  it('an agreement revoked mid-transfer: the resumed pull is refused and nothing is completed', async () => {
    const { uk, eu } = federation;
    const transfer = await startTransfer(federation, agreementId);
    let revoked: Promise<unknown> | undefined;
    uk.proxy.cutAfter(120_000);
    const before = dataKeys();
    const result = await eu.connector.dataPlane.receive(transfer.id, () => {
      revoked ??= uk.connector.dataPlane.provider.revokeAgreement({ agreementId, reason: 'test: owner withdraws consent' });
    });
    await revoked;
    expect(uk.proxy.cuts).toBe(1);
    expect(codeOf(result)).toBe('SOV_DATAPLANE_AGREEMENT_REVOKED');
    await expectNothingKept(transfer, before);
  });
});
