import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidGenerator } from '../../src/clock/index.js';
import {
  createDataPlaneRemote, createSqlOutboundTransferRepository, issueKeyEnvelope, sinkUrls, TRANSFER_TOKEN_HEADER, CONTAINER_MEDIA_TYPE, type DatasetRecord,
} from '../../src/dataplane/index.js';
import { jsonDigest } from '../../src/dsp/index.js';
import { unwrap } from '../../src/errors/index.js';
import { dspOfferOf } from '../../src/offerings/index.js';
import type { TransferProcess } from '../../src/transfer/index.js';
import { measure } from '../anonymise/independent-check.js';
import { UK_DATA } from '../anonymise/fixtures.js';
import { collect, pattern, pieces } from '../dataplane/support.js';
import { agree, clearDataKey, containsAnyEncoding, dataPlaneFederation, keystoreSecrets, type DataPlaneFederation, type Party } from '../dataplane/transfer/federation.js';
import { codeOf, containerOf, pushFixture } from '../dataplane/transfer/push-fixture.js';

let federation: DataPlaneFederation;
const MINUTE = 60_000;

beforeAll(async () => {
  federation = await dataPlaneFederation();
}, 60_000);
afterAll(() => federation.stopAll());

const { dataKeys, stateOf, receivedOf, startPush, prepared, push, expectNothingKept, expectReceivedIntact } = pushFixture(() => federation);

describe('push transfers between two connectors', () => {
  it('pushes container and envelope; the consumer verifies, keeps the key wrapped, completes with a receipt the provider stores', async () => {
    const { uk, eu } = federation;
    const data = pattern(300_000, 21);
    const { dataset, transfer, providerPid } = await prepared(data);
    expect(transfer.state).toBe('STARTED');
    expect(transfer.dataAddress?.endpoint).toMatch(new RegExp(`^${eu.proxy.url}/dataplane/inbound/`));
    const keysBefore = dataKeys();
    expect(await push(providerPid)).toBe('accepted');
    const received = await expectReceivedIntact(transfer, dataset, data);
    expect(received.keyRelease).toBe('handover');
    expect(dataKeys()).toBe(keysBefore + 1);
    const outbound = await uk.connector.dataPlane.provider.outbound(providerPid);
    expect(outbound?.receipt).toMatchObject({ transferId: providerPid, consumerDid: eu.connector.did, containerDigest: `blake2b-256:${dataset.containerDigest}` });
    expect((await uk.connector.audit.tail(100)).map((e) => e.type)).toEqual(expect.arrayContaining(['key.released', 'transfer.receipt']));
    // Pushing again changes nothing: the sink answers that it holds the data.
    expect(await push(providerPid)).toBe('SOV_DATAPLANE_TRANSFER_NOT_ACTIVE');
  });

  it('owner-held: pushed too, the consumer never stores the DEK and each open asks the owner', async () => {
    const { uk, eu } = federation;
    const data = pattern(120_000, 22);
    const { dataset, transfer, providerPid } = await prepared(data, 'owner-held');
    const keysBefore = dataKeys();
    expect(await push(providerPid)).toBe('accepted');
    const received = await expectReceivedIntact(transfer, dataset, data);
    expect(received.keyRelease).toBe('owner-held');
    expect(received.dataKeyId).toBeUndefined();
    expect(dataKeys()).toBe(keysBefore);
    const dek = await clearDataKey(uk, dataset.dataKeyId as string);
    expect((await keystoreSecrets(eu)).some((secret) => secret.equals(dek))).toBe(false);
    expect((await uk.connector.audit.tail(50)).some((e) => e.type === 'key.released' && (e.details as { keyReleaseMode?: string }).keyReleaseMode === 'owner-held')).toBe(true);
  });

  it('wire capture: neither the plaintext, nor any data key, nor any private key crosses the wire', async () => {
    const { uk, eu } = federation;
    const plain = Buffer.from(pattern(400_000, 23));
    plain.write('PATIENT NAME=Grace Hopper; NHS=485 777 3456; DIAGNOSIS=confidential', 2000, 'latin1');
    const handover = await prepared(plain);
    const before = [uk.proxy.captured().length, eu.proxy.captured().length];
    expect(await push(handover.providerPid)).toBe('accepted');
    const owned = await prepared(plain, 'owner-held');
    expect(await push(owned.providerPid)).toBe('accepted');
    const copy = (await receivedOf(owned.transfer)) as DatasetRecord;
    expect((await collect(unwrap(await eu.connector.dataPlane.openDataset(copy.id)))).equals(plain)).toBe(true);
    await federation.settle();

    const wire = Buffer.concat([uk.proxy.captured(), eu.proxy.captured()]);
    // Both containers crossed into the consumer's proxy: the capture holds what a wiretap would see.
    expect(eu.proxy.captured().length - (before[1] as number)).toBeGreaterThan(2 * plain.length);
    expect(wire.includes(Buffer.from('PATIENT NAME=Grace Hopper'))).toBe(false);
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

describe('resume after a cut upload', () => {
  const data = pattern(1_000_000, 24);

  it.each([[40], [300_000], [900_000]])('an upload cut after %i bytes resumes from the last whole chunk the consumer holds, without sending whole chunks again', async (cutAt) => {
    const { eu } = federation;
    const { dataset, transfer, providerPid } = await prepared(data);
    const cutsBefore = eu.proxy.cuts;
    const wireBefore = eu.proxy.captured().length;
    eu.proxy.cutRequestAfter(cutAt);
    expect(await push(providerPid)).toBe('accepted');
    expect(eu.proxy.cuts).toBe(cutsBefore + 1);
    await expectReceivedIntact(transfer, dataset, data);
    const wire = eu.proxy.captured().subarray(wireBefore);
    if (cutAt > 100_000) expect(wire.toString('latin1')).toMatch(/POST \/dataplane\/inbound\/[^ ]+\/container\?fromChunk=[1-9]\d* HTTP/);
    // At most the cut chunk goes again (plus requests and answers), never the chunks that arrived.
    expect(wire.length).toBeLessThan(dataset.size + 65_536 + 21 + 40_000);
  });

  it('survives several cuts in one push', async () => {
    const { eu } = federation;
    const { dataset, transfer, providerPid } = await prepared(data);
    const cutsBefore = eu.proxy.cuts;
    eu.proxy.cutRequestAfter(150_000, 250_000, 200_000);
    expect(await push(providerPid)).toBe('accepted');
    expect(eu.proxy.cuts).toBe(cutsBefore + 3);
    await expectReceivedIntact(transfer, dataset, data);
  });
});

describe('a consumer refuses altered pushes and keeps nothing', () => {
  /** Pushes while the provider's stored container is altered (a malicious or broken provider). */
  async function pushServing(alter: (bytes: Buffer) => Buffer): Promise<{ code: string; transfer: TransferProcess }> {
    const { uk, eu } = federation;
    const data = pattern(200_000, 25);
    const { dataset, transfer, providerPid } = await prepared(data);
    const path = join(uk.dataDir, 'ciphertext', 'objects', dataset.containerId);
    writeFileSync(path, alter(Buffer.from(readFileSync(path))));
    const before = dataKeys();
    const code = await push(providerPid);
    await expectNothingKept(transfer, before);
    // The consumer terminated with its reason, and the provider took it.
    expect((await eu.connector.dsp.transfers.get(transfer.id))?.termination).toMatchObject({ by: 'consumer', code });
    expect(await stateOf(uk, providerPid)).toBe('TERMINATED');
    return { code, transfer };
  }
  const flip = (at: (b: Buffer) => number) => (bytes: Buffer) => {
    const index = at(bytes);
    bytes[index] = (bytes[index] as number) ^ 0x01;
    return bytes;
  };

  it('one flipped byte in the body', async () => expect((await pushServing(flip((b) => Math.floor(b.length / 2)))).code).toBe('SOV_DATAPLANE_DIGEST_MISMATCH'));
  it('one flipped byte in the trailer signature', async () => expect((await pushServing(flip((b) => b.length - 1))).code).toBe('SOV_DATAPLANE_SIGNATURE_INVALID'));
  it('truncated', async () => expect((await pushServing((b) => b.subarray(0, b.length - 50))).code).toBe('SOV_DATAPLANE_TRUNCATED'));

  it('an envelope bound to another transfer: no key is imported, the container is deleted', async () => {
    const { uk, eu } = federation;
    const { transfer, providerPid, agreementId } = await prepared(pattern(50_000, 26));
    const records = createSqlOutboundTransferRepository(uk.connector.db);
    const record = await records.get(providerPid);
    if (record === undefined) throw new Error('no outbound record');
    const agreementKey = eu.connector.kms.activeAgreementKey();
    const forged = unwrap(
      await issueKeyEnvelope({
        kms: uk.connector.kms, clock: federation.clock, issuerDid: uk.connector.did, dataKeyId: record.dataKeyId,
        recipient: { did: eu.connector.did, keyId: `${eu.connector.did}#${agreementKey.keyId}`, publicKey: agreementKey.publicKey },
        transferId: 'urn:uuid:another-transfer', agreementId, datasetId: record.offeringId, containerDigest: Buffer.from(record.containerDigest, 'hex'), release: 'handover', ttlMs: 10 * MINUTE,
      }),
    );
    await records.save({ ...record, envelope: forged });
    const before = dataKeys();
    expect(await push(providerPid)).toBe('SOV_DATAPLANE_ENVELOPE_WRONG_TRANSFER');
    await expectNothingKept(transfer, before);
    expect(await stateOf(eu, transfer.id)).toBe('TERMINATED');
  });
});

describe('a sink refuses calls it did not authorise, with a problem+json reason', () => {
  /** Calls as `party` (signed with its caller token), keeping the media type of each answer. */
  function callerAs(party: Party) {
    const answers: Array<{ status: number; type: string | null }> = [];
    const remote = createDataPlaneRemote({
      did: party.connector.did, kms: party.connector.kms, clock: federation.clock, ids: uuidGenerator,
      fetch: async (url, init) => {
        const response = await fetch(url, init);
        answers.push({ status: response.status, type: response.headers.get('content-type') });
        return response;
      },
    });
    return { remote, answers };
  }
  const sinkOf = (transfer: TransferProcess) => ({
    endpoint: transfer.dataAddress?.endpoint as string,
    token: transfer.dataAddress?.endpointProperties?.find((p) => p.name === 'authorization')?.value as string,
  });
  const status = (caller: ReturnType<typeof callerAs>, endpoint: string, token?: string) =>
    caller.remote.getJson(sinkUrls(endpoint).status, federation.eu.connector.did, token === undefined ? {} : { [TRANSFER_TOKEN_HEADER]: token });

  it('a missing, altered, foreign or spent sink token', async () => {
    const { uk, eu } = federation;
    const first = await prepared(pattern(20_000, 27));
    const second = await startPush(first.agreementId);
    const [a, b] = [sinkOf(first.transfer), sinkOf(second)];
    const provider = callerAs(uk);
    expect(codeOf(await status(provider, a.endpoint, a.token))).toBe('accepted');
    expect(codeOf(await status(provider, a.endpoint))).toBe('SOV_DATAPLANE_TOKEN_MISSING');
    const [body, signature] = a.token.split('.') as [string, string];
    const altered = Buffer.from(signature, 'base64url');
    altered[5] = (altered[5] as number) ^ 0x01;
    expect(codeOf(await status(provider, a.endpoint, `${body}.${altered.toString('base64url')}`))).toBe('SOV_DATAPLANE_TOKEN_INVALID');
    // Sink A's token at sink B, and the right token from a connector it was not issued to.
    expect(codeOf(await status(provider, b.endpoint, a.token))).toBe('SOV_DATAPLANE_TOKEN_FOREIGN');
    expect(codeOf(await status(callerAs(eu), a.endpoint, a.token))).toBe('SOV_DATAPLANE_TOKEN_FOREIGN');
    expect(provider.answers.slice(1).map((answer) => [answer.status, answer.type?.split(';')[0]])).toEqual([
      [401, 'application/problem+json'], [401, 'application/problem+json'], [403, 'application/problem+json'],
    ]);
    // Once the data is kept, the token is spent: the sink still says where the push stands, and takes nothing more.
    expect(await push(first.providerPid)).toBe('accepted');
    expect(unwrap(await status(provider, a.endpoint, a.token))).toEqual({ state: 'received', fromChunk: null });
    const headers = { [TRANSFER_TOKEN_HEADER]: a.token, 'content-type': CONTAINER_MEDIA_TYPE };
    const replayed = await provider.remote.postStream(sinkUrls(a.endpoint).container, eu.connector.did, headers, async () => ({ ok: true, value: pieces(Buffer.from('more')) }));
    expect(replayed.ok ? 'accepted' : [replayed.code, replayed.data?.['status']]).toEqual(['SOV_DATAPLANE_TOKEN_REPLAYED', 401]);
    // A delivery repeated because its answer was lost is answered with what was kept.
    expect(unwrap(await provider.remote.postJson(sinkUrls(a.endpoint).delivery, eu.connector.did, {}, { [TRANSFER_TOKEN_HEADER]: a.token }))).toMatchObject({ datasetId: first.transfer.id, received: 'kept' });
  });

  it('a pushed body other than the one its caller token was issued for: nothing is kept and the transfer ends', async () => {
    const { uk, eu } = federation;
    const { dataset, transfer } = await prepared(pattern(80_000, 28));
    const sink = sinkOf(transfer);
    const before = dataKeys();
    const container = containerOf(uk, dataset.containerId);
    let opened = 0;
    // The token is bound to the hash of the first bytes handed out; the genuine container is what is sent.
    const sent = await callerAs(uk).remote.postStream(sinkUrls(sink.endpoint).container, eu.connector.did, { [TRANSFER_TOKEN_HEADER]: sink.token, 'content-type': CONTAINER_MEDIA_TYPE }, async () =>
      ({ ok: true, value: pieces((opened += 1) === 1 ? Buffer.from('other bytes') : container) }),
    );
    expect(codeOf(sent)).toBe('SOV_TRUST_TOKEN_REQUEST_MISMATCH');
    await federation.settle();
    await expectNothingKept(transfer, before);
    expect((await eu.connector.dsp.transfers.get(transfer.id))?.termination?.code).toBe('SOV_TRUST_TOKEN_REQUEST_MISMATCH');
  });
});

describe('suspension and revocation stop further releases', () => {
  const data = pattern(1_000_000, 29);

  it('the owner revokes the agreement mid-upload: no key leaves, and once terminated the consumer keeps nothing', async () => {
    const { uk, eu } = federation;
    const { transfer, providerPid, agreementId } = await prepared(data);
    const before = dataKeys();
    const paused = eu.proxy.pauseRequestAfter(400_000, () => uk.connector.dataPlane.provider.revokeAgreement({ agreementId, reason: 'test: owner withdraws consent' }));
    const pushed = await uk.connector.dataPlane.provider.push(providerPid);
    await paused;
    expect(codeOf(pushed)).toBe('SOV_DATAPLANE_AGREEMENT_REVOKED');
    expect(await receivedOf(transfer)).toBeUndefined();
    expect(dataKeys()).toBe(before);
    expect((await uk.connector.audit.tail(30)).filter((e) => e.type === 'key.released' && e.subjects.includes(providerPid))).toHaveLength(0);
    // What the connector's push runner does with a refusal for good: terminate, telling the consumer why.
    unwrap(await uk.connector.dsp.transfers.terminate(providerPid, { code: 'SOV_DATAPLANE_AGREEMENT_REVOKED', reason: ['the owner revoked the agreement'] }));
    await federation.settle();
    await expectNothingKept(transfer, before);
  });

  it('a transfer suspended mid-upload releases no key; resumed, it delivers without sending the container again', async () => {
    const { uk, eu } = federation;
    const { dataset, transfer, providerPid } = await prepared(data);
    const paused = eu.proxy.pauseRequestAfter(400_000, () => uk.connector.dsp.transfers.suspend(providerPid, { reason: ['test: pause'] }));
    expect(codeOf(await uk.connector.dataPlane.provider.push(providerPid))).toBe('SOV_DATAPLANE_TRANSFER_NOT_ACTIVE');
    await paused;
    await federation.settle();
    expect(await stateOf(eu, transfer.id)).toBe('SUSPENDED');
    expect(await receivedOf(transfer)).toBeUndefined();
    unwrap(await uk.connector.dsp.transfers.resume(providerPid));
    await federation.settle();
    const wireBefore = eu.proxy.captured().length;
    expect(await push(providerPid)).toBe('accepted');
    expect(eu.proxy.captured().length - wireBefore).toBeLessThan(40_000);
    await expectReceivedIntact(transfer, dataset, data);
  });
});

describe('an agreement duty is performed before the push', () => {
  it('an anonymisation duty: only the anonymised data is pushed, with its signed report, verified and kept by the consumer', async () => {
    const { uk, eu } = federation;
    const input = readFileSync(UK_DATA);
    const offering = unwrap(
      await uk.connector.dsp.offerings.create({
        title: 'Hospital episodes (research, anonymised)', policy: { template: 'research-anonymised', params: { k: 10, l: 3, maxSuppressionPercent: 5 } },
        classification: 'OFFICIAL', personalData: true, dataSource: { type: 'file', reference: 'data/hospital-episodes.csv' },
        anonymisation: { declarationRef: 'data/hospital-episodes.anonymisation.json' },
      }),
    );
    const source = unwrap(await uk.connector.dataPlane.addDataset({ source: pieces(input), offeringId: offering.id, plaintextLength: input.length }));
    const started = unwrap(await eu.connector.dsp.negotiations.start({ offer: { ...dspOfferOf(offering), target: offering.id }, provider: { did: uk.connector.did }, purpose: 'research/health' }));
    await federation.settle();
    const transfer = await startPush((await eu.connector.dsp.negotiations.get(started.id))?.agreement?.['@id'] as string);
    expect(await push(transfer.providerPid as string)).toBe('accepted');
    expect(await stateOf(eu, transfer.id)).toBe('COMPLETED');
    const received = (await receivedOf(transfer)) as DatasetRecord;
    expect(received.containerDigest).not.toBe(source.containerDigest);
    const outbound = await uk.connector.dataPlane.provider.outbound(transfer.providerPid as string);
    expect(received.transformReport?.digest).toBe(jsonDigest(outbound?.transformReport));
    const text = (await collect(unwrap(await eu.connector.dataPlane.openDataset(received.id)))).toString('utf8');
    expect(measure(text, ['age', 'sex', 'ethnicity', 'postcode_district', 'admission_date'], ['diagnosis']).k).toBeGreaterThanOrEqual(10);
  });
});

describe('push transfers run by the connectors themselves', () => {
  let auto: DataPlaneFederation;
  beforeAll(async () => {
    auto = await dataPlaneFederation({ automaticPushes: true });
  }, 60_000);
  afterAll(() => auto.stopAll());

  it('an offering lists HttpData-PUSH by default; a push requested through the management API completes by itself', async () => {
    const { uk, eu } = auto;
    const offering = unwrap(
      await uk.connector.dsp.offerings.create({
        title: 'Bed occupancy', policy: { template: 'coalition-open', params: {} }, classification: 'OFFICIAL', personalData: false, dataSource: { type: 'file', reference: 'beds.csv' },
      }),
    );
    const listed = unwrap(await eu.connector.dsp.fetchCatalog({ did: uk.connector.did })).catalog.dataset?.find((d) => d['@id'] === offering.id);
    expect(listed?.distribution?.map((d) => d.format)).toEqual(['HttpData-PULL', 'HttpData-PUSH']);
    const data = pattern(200_000, 30);
    const dataset = unwrap(await uk.connector.dataPlane.addDataset({ source: pieces(data), offeringId: offering.id, plaintextLength: data.length }));
    const agreementId = await agree(auto, offering);

    const answer = await fetch(`${eu.proxy.url}/api/transfers`, {
      method: 'POST',
      headers: { authorization: 'Bearer admin-token-for-eu-tests', 'content-type': 'application/json' },
      body: JSON.stringify({ agreementId, format: 'HttpData-PUSH' }),
    });
    expect(answer.status).toBe(201);
    const requested = (await answer.json()) as TransferProcess;
    // The sink's token stays between the connectors.
    expect(requested.dataAddress?.endpointProperties?.map((p) => p.name)).toEqual(['authType']);
    await auto.settle();
    await uk.connector.pushes.idle();
    await auto.settle();
    expect(await eu.connector.dsp.transfers.get(requested.id)).toMatchObject({ state: 'COMPLETED' });
    const received = (await eu.connector.dataPlane.datasets.get(requested.id)) as DatasetRecord;
    expect(received.containerDigest).toBe(dataset.containerDigest);
    expect((await collect(unwrap(await eu.connector.dataPlane.openDataset(received.id)))).equals(data)).toBe(true);
  });
});
