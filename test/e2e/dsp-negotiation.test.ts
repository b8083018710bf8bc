import { afterEach, describe, expect, it } from 'vitest';
import { unwrap } from '../../src/errors/index.js';
import { bothSides, dspFederation, offerDataset, type Federation } from './dsp-support.js';

let federation: Federation | undefined;
afterEach(async () => {
  await federation?.stopAll();
  federation = undefined;
});

async function ukAndEu() {
  federation = await dspFederation(['uk', 'eu']);
  const { uk, eu } = federation.nodes as { uk: NonNullable<Federation['nodes'][string]>; eu: NonNullable<Federation['nodes'][string]> };
  return { federation, uk, eu };
}

describe('DSP between two connectors over loopback HTTP', () => {
  it('advertises DSP 2025-1 at the well-known location without authentication', async () => {
    const { uk } = await ukAndEu();
    const response = await fetch(`${uk.connector.config.publicBaseUrl}/.well-known/dspace-version`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { protocolVersions: Array<{ version: string; path: string; binding: string }> };
    expect(body.protocolVersions).toEqual([expect.objectContaining({ version: '2025-1', path: '/dsp/2025-1', binding: 'HTTPS' })]);
  });

  it('shows a member its catalogue and negotiates an offer to FINALIZED, signed and audited on both sides', async () => {
    const { federation, uk, eu } = await ukAndEu();
    const offer = await offerDataset(uk, 'coalition-open');
    const page = unwrap(await eu.connector.dsp.fetchCatalog({ did: uk.connector.did }));
    expect(page.peer.dspBase).toBe(`${uk.connector.config.publicBaseUrl}/dsp/2025-1`);
    expect(page.catalog.dataset?.map((d) => d['@id'])).toEqual([offer.target]);
    expect(page.catalog.dataset?.[0]?.hasPolicy[0]?.['@id']).toBe(offer['@id']);

    const started = unwrap(await eu.connector.dsp.negotiations.start({ offer, provider: { did: uk.connector.did } }));
    await federation.settle();
    const sides = await bothSides(eu, uk, started.id);
    expect(sides.consumer.state).toBe('FINALIZED');
    expect(sides.provider.state).toBe('FINALIZED');
    expect(sides.consumer.agreement).toEqual(sides.provider.agreement);
    expect(sides.provider.agreement).toMatchObject({ assigner: uk.connector.did, assignee: eu.connector.did, target: offer.target });
    expect(Object.keys(sides.consumer.proofs).sort()).toEqual(['consumer', 'provider']);
    expect(Object.keys(sides.provider.proofs).sort()).toEqual(['consumer', 'provider']);

    const tail = await uk.connector.audit.tail(50);
    const states = tail.filter((e) => e.type === 'negotiation.state').map((e) => (e.details as { to: string }).to);
    expect(states).toEqual(['REQUESTED', 'AGREED', 'VERIFIED', 'FINALIZED']);
    const decisions = tail.filter((e) => e.type === 'policy.decision');
    expect(decisions.map((d) => (d.details as { stage: string }).stage)).toEqual(['request', 'verification']);
    expect(decisions.every((d) => d.digest?.startsWith('sha256:'))).toBe(true);
    expect((await uk.connector.audit.verify()).verified).toBe(true);
  });
});
