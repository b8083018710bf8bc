import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unwrap } from '../../src/errors/index.js';
import type { TransferProcess } from '../../src/transfer/index.js';
import { dataPlaneCalls, dspFederation, finalized, offerDataset, type Federation, type Node } from './dsp-support.js';

let federation: Federation;
let uk: Node;
let eu: Node;
let agreementId: string;

beforeAll(async () => {
  federation = await dspFederation(['uk', 'eu']);
  uk = federation.node('uk');
  eu = federation.node('eu');
  const sides = await finalized(federation, eu, uk, await offerDataset(uk, 'coalition-open'));
  agreementId = sides.provider.agreement?.['@id'] as string;
});
afterAll(() => federation.stopAll());

async function transferSides(consumerPid: string): Promise<{ consumer: TransferProcess; provider: TransferProcess }> {
  const consumer = await eu.connector.dsp.transfers.get(consumerPid);
  const provider = consumer?.providerPid === undefined ? undefined : await uk.connector.dsp.transfers.get(consumer.providerPid);
  if (consumer === undefined || provider === undefined) throw new Error(`transfer ${consumerPid} is missing on one side`);
  return { consumer, provider };
}

async function startedTransfer(): Promise<string> {
  const requested = unwrap(await eu.connector.dsp.transfers.start({ agreementId, format: 'HttpData-PULL' }));
  await federation.settle();
  const sides = await transferSides(requested.id);
  expect([sides.consumer.state, sides.provider.state]).toEqual(['STARTED', 'STARTED']);
  return requested.id;
}

describe('DSP transfer process between two connectors over loopback HTTP', () => {
  it('pulls under a finalized agreement: REQUESTED → STARTED with the data address → COMPLETED, audited', async () => {
    const id = await startedTransfer();
    const started = await transferSides(id);
    expect(started.consumer.dataAddress).toMatchObject({ '@type': 'DataAddress', endpoint: expect.stringContaining(encodeURIComponent(started.provider.id)) as unknown });
    expect(started.provider).toMatchObject({ agreementId, counterpartyDid: eu.connector.did, decision: { permitted: true } });
    unwrap(await eu.connector.dsp.transfers.complete(id));
    await federation.settle();
    const done = await transferSides(id);
    expect([done.consumer.state, done.provider.state]).toEqual(['COMPLETED', 'COMPLETED']);
    const calls = dataPlaneCalls.get(uk.connector.config.publicBaseUrl)?.filter((c) => c.transfer === done.provider.id).map((c) => c.call);
    expect(calls).toEqual(['start', 'completed']);
    const audit = (await uk.connector.audit.tail(200)).filter((e) => e.subjects.includes(done.provider.id));
    expect(audit.filter((e) => e.type === 'transfer.state').map((e) => (e.details as { to: string }).to)).toEqual(['REQUESTED', 'STARTED', 'COMPLETED']);
    expect(audit.filter((e) => e.type === 'policy.decision').map((e) => e.digest)).toEqual([expect.stringMatching(/^sha256:/)]);
  });

  it('suspends (provider), resumes (consumer) and terminates (provider)', async () => {
    const id = await startedTransfer();
    const { provider } = await transferSides(id);
    unwrap(await uk.connector.dsp.transfers.suspend(provider.id, { code: 'MAINTENANCE', reason: ['disk swap'] }));
    await federation.settle();
    let sides = await transferSides(id);
    expect([sides.consumer.state, sides.provider.state]).toEqual(['SUSPENDED', 'SUSPENDED']);
    expect(sides.consumer.suspension).toMatchObject({ by: 'provider', code: 'MAINTENANCE', reason: ['disk swap'] });
    unwrap(await eu.connector.dsp.transfers.resume(id));
    await federation.settle();
    sides = await transferSides(id);
    expect([sides.consumer.state, sides.provider.state]).toEqual(['STARTED', 'STARTED']);
    unwrap(await uk.connector.dsp.transfers.terminate(provider.id, { code: 'ADMIN_STOP' }));
    await federation.settle();
    sides = await transferSides(id);
    expect([sides.consumer.state, sides.provider.state]).toEqual(['TERMINATED', 'TERMINATED']);
    expect(sides.consumer.termination).toMatchObject({ by: 'provider', code: 'ADMIN_STOP' });
  });

  it('refuses locally a transfer under an agreement the consumer does not hold', async () => {
    const refused = await eu.connector.dsp.transfers.start({ agreementId: 'urn:uuid:no-such-agreement', format: 'HttpData-PULL' });
    expect(refused).toMatchObject({ ok: false, code: 'SOV_TRANSFER_AGREEMENT_NOT_HELD' });
  });
});
