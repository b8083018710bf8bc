/**
 * The consumer pulls by itself (issue 7 "Transfers", src/connector/consumer-pulls.ts): a
 * transfer started through the consumer's management API reaches COMPLETED on both sides with
 * no receive call; a consumer stopped mid-pull resumes at its next start from the chunks it
 * verified, and completes once, byte-identical; a container that fails verification
 * terminates the transfer with the refusal's code, told to the provider and audited.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unwrap } from '../../src/errors/index.js';
import type { TransferProcess } from '../../src/transfer/index.js';
import { collect, pattern, pieces } from '../dataplane/support.js';
import { agree, dataPlaneFederation, offer, restartParty, type DataPlaneFederation } from '../dataplane/transfer/federation.js';

let federation: DataPlaneFederation;

beforeAll(async () => {
  federation = await dataPlaneFederation({ automaticPulls: true });
}, 60_000);
afterAll(() => federation.stopAll());

/** An offering with `data` as its dataset, agreed; returns the agreement id and the provider's container id. */
async function agreedDataset(data: Buffer): Promise<{ agreementId: string; containerId: string }> {
  const offering = await offer(federation.uk, 'coalition-open');
  const added = unwrap(await federation.uk.connector.dataPlane.addDataset({ source: pieces(data), offeringId: offering.id, plaintextLength: data.length }));
  return { agreementId: await agree(federation, offering), containerId: added.containerId };
}

/** Lets every message travel and every background pull finish, until both are quiet. */
async function runToRest(): Promise<void> {
  for (let round = 0; round < 10; round += 1) {
    await federation.settle();
    await federation.eu.connector.consumerPulls.idle();
  }
}

async function bothSides(id: string): Promise<{ consumer: TransferProcess; provider: TransferProcess }> {
  const consumer = (await federation.eu.connector.dsp.transfers.get(id)) as TransferProcess;
  const provider = (await federation.uk.connector.dsp.transfers.get(consumer.providerPid as string)) as TransferProcess;
  return { consumer, provider };
}

async function completions(id: string): Promise<number> {
  const entries = await federation.eu.connector.audit.tail(500);
  return entries.filter((e) => e.type === 'transfer.state' && e.subjects.includes(id) && e.details['to'] === 'COMPLETED').length;
}

describe('automatic consumer pulls', () => {
  it('a transfer started through the management API completes on both sides without a receive call', async () => {
    const data = pattern(400_000, 11);
    const { agreementId } = await agreedDataset(data);
    const response = await fetch(`${federation.eu.connector.config.publicBaseUrl}/api/transfers`, {
      method: 'POST',
      headers: { authorization: 'Bearer admin-token-for-eu-tests', 'content-type': 'application/json' },
      body: JSON.stringify({ agreementId }),
    });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    await runToRest();

    const { consumer, provider } = await bothSides(id);
    expect([consumer.state, provider.state]).toEqual(['COMPLETED', 'COMPLETED']);
    const dataset = await federation.eu.connector.dataPlane.datasets.findReceived(consumer.providerPid as string);
    expect((await collect(unwrap(await federation.eu.connector.dataPlane.openDataset(dataset?.id as string)))).equals(data)).toBe(true);
    expect((await federation.uk.connector.dataPlane.provider.outbound(consumer.providerPid as string))?.receipt).toBeDefined();

    // The transfer token stays between the connectors: the API shows the address without it.
    const token = consumer.dataAddress?.endpointProperties?.find((p) => p.name === 'authorization')?.value;
    expect(token).toBeTruthy();
    const shown = await (await fetch(`${federation.eu.connector.config.publicBaseUrl}/api/transfers/${encodeURIComponent(id)}`, { headers: { authorization: 'Bearer admin-token-for-eu-tests' } })).text();
    const listed = await (await fetch(`${federation.eu.connector.config.publicBaseUrl}/api/transfers`, { headers: { authorization: 'Bearer admin-token-for-eu-tests' } })).text();
    expect(shown).toContain('"endpointProperties"');
    expect(shown).not.toContain(token as string);
    expect(listed).not.toContain(token as string);
  });

  it('a consumer stopped mid-pull resumes at its next start from the verified chunks and completes once, byte-identical', async () => {
    const data = pattern(4_000_000, 5);
    const { agreementId } = await agreedDataset(data);
    // The provider's answer stalls after ~1.5 MB: the pull is under way when the consumer stops.
    const stalled = federation.uk.proxy.holdAfter(1_500_000);
    const requested = unwrap(await federation.eu.connector.dsp.transfers.start({ agreementId, format: 'HttpData-PULL' }));
    await federation.settle();
    await stalled;
    expect((await federation.eu.connector.dsp.transfers.get(requested.id))?.state).toBe('STARTED');
    const requestsBefore = federation.uk.proxy.captured().toString('latin1').split('fromChunk=').length;

    await restartParty(federation, federation.eu, true);
    await runToRest();

    const { consumer, provider } = await bothSides(requested.id);
    expect([consumer.state, provider.state], `terminated: ${JSON.stringify(consumer.termination ?? provider.termination)}`).toEqual(['COMPLETED', 'COMPLETED']);
    // The restarted pull asked for the rest only (format §4 resume by chunk index).
    expect(federation.uk.proxy.captured().toString('latin1').split('fromChunk=').length).toBe(requestsBefore + 1);
    expect(await completions(requested.id)).toBe(1);
    const dataset = await federation.eu.connector.dataPlane.datasets.findReceived(consumer.providerPid as string);
    expect((await collect(unwrap(await federation.eu.connector.dataPlane.openDataset(dataset?.id as string)))).equals(data)).toBe(true);
  });

  it('a container that fails verification terminates the transfer with the refusal code, on both sides and in the audit trail', async () => {
    const { agreementId, containerId } = await agreedDataset(pattern(200_000, 9));
    const path = join(federation.uk.dataDir, 'ciphertext', 'objects', containerId);
    const original = readFileSync(path);
    const flipped = Buffer.from(original);
    flipped[original.length - 100] = (flipped[original.length - 100] as number) ^ 0x01;
    writeFileSync(path, flipped);
    try {
      const requested = unwrap(await federation.eu.connector.dsp.transfers.start({ agreementId, format: 'HttpData-PULL' }));
      await runToRest();
      const { consumer, provider } = await bothSides(requested.id);
      expect([consumer.state, provider.state]).toEqual(['TERMINATED', 'TERMINATED']);
      expect(consumer.termination?.code).toMatch(/^SOV_DATAPLANE_/);
      expect(provider.termination?.code).toBe(consumer.termination?.code);
      const entries = await federation.eu.connector.audit.tail(500);
      const ended = entries.find((e) => e.type === 'transfer.state' && e.subjects.includes(requested.id) && e.details['to'] === 'TERMINATED');
      expect(ended?.details['code']).toBe(consumer.termination?.code);
      expect(await federation.eu.connector.dataPlane.datasets.findReceived(consumer.providerPid as string)).toBeUndefined();
    } finally {
      writeFileSync(path, original);
    }
  });
});
