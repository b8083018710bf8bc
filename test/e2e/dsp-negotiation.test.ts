import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NegotiationState } from '../../src/dsp/index.js';
import { unwrap } from '../../src/errors/index.js';
import type { TargetedOffer } from '../../src/negotiation/index.js';
import { bothSides, dspFederation, offerDataset, type Federation, type Node } from './dsp-support.js';

let federation: Federation;
let uk: Node;
let eu: Node;
let openOffer: TargetedOffer;

beforeAll(async () => {
  federation = await dspFederation(['uk', 'eu']);
  uk = federation.node('uk');
  eu = federation.node('eu');
  openOffer = await offerDataset(uk, 'coalition-open');
});
afterAll(() => federation.stopAll());

/** The consumer proposes other rules than the catalogue's: the provider waits for an admin. */
function proposalFrom(offer: TargetedOffer): TargetedOffer {
  return { '@id': offer['@id'], '@type': 'Offer', target: offer.target, permission: [{ action: 'use' }] };
}

describe('DSP between two connectors over loopback HTTP', () => {
  it('advertises DSP 2025-1 at the well-known location without authentication', async () => {
    const response = await fetch(`${uk.connector.config.publicBaseUrl}/.well-known/dspace-version`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { protocolVersions: Array<{ version: string; path: string; binding: string }> };
    expect(body.protocolVersions).toEqual([expect.objectContaining({ version: '2025-1', path: '/dsp/2025-1', binding: 'HTTPS' })]);
  });

  it('shows a member its catalogue and negotiates an offer to FINALIZED, signed and audited on both sides', async () => {
    const page = unwrap(await eu.connector.dsp.fetchCatalog({ did: uk.connector.did }));
    expect(page.peer.dspBase).toBe(`${uk.connector.config.publicBaseUrl}/dsp/2025-1`);
    const listed = page.catalog.dataset?.find((d) => d['@id'] === openOffer.target);
    expect(listed?.hasPolicy[0]?.['@id']).toBe(openOffer['@id']);

    const started = unwrap(await eu.connector.dsp.negotiations.start({ offer: openOffer, provider: { did: uk.connector.did } }));
    await federation.settle();
    const sides = await bothSides(eu, uk, started.id);
    expect([sides.consumer.state, sides.provider.state]).toEqual(['FINALIZED', 'FINALIZED']);
    expect(sides.consumer.agreement).toEqual(sides.provider.agreement);
    expect(sides.provider.agreement).toMatchObject({ assigner: uk.connector.did, assignee: eu.connector.did, target: openOffer.target });
    expect(Object.keys(sides.consumer.proofs).sort()).toEqual(['consumer', 'provider']);
    expect(Object.keys(sides.provider.proofs).sort()).toEqual(['consumer', 'provider']);

    const entries = (await uk.connector.audit.tail(200)).filter((e) => e.subjects.includes(sides.provider.id));
    const states = entries.filter((e) => e.type === 'negotiation.state').map((e) => (e.details as { to: string }).to);
    expect(states).toEqual(['REQUESTED', 'AGREED', 'VERIFIED', 'FINALIZED']);
    const decisions = entries.filter((e) => e.type === 'policy.decision');
    expect(decisions.map((d) => (d.details as { stage: string }).stage)).toEqual(['request', 'verification']);
    expect(decisions.map((d) => d.digest)).toEqual([expect.stringMatching(/^sha256:[0-9a-f]{64}$/), expect.stringMatching(/^sha256:/)]);
    const consumerStates = (await eu.connector.audit.tail(200))
      .filter((e) => e.type === 'negotiation.state' && e.subjects.includes(started.id))
      .map((e) => (e.details as { to: string }).to);
    expect(consumerStates).toEqual(['REQUESTED', 'AGREED', 'VERIFIED', 'FINALIZED']);
    // The provider checked the consumer's membership presentation once and audited the verdict.
    const verified = (await uk.connector.audit.tail(200)).filter((e) => e.type === 'credential.verified' && e.subjects[0] === eu.connector.did);
    expect(verified.length).toBeGreaterThanOrEqual(1);
    expect(verified[0]?.details).toMatchObject({ jurisdiction: 'EU' });
    expect((await uk.connector.audit.verify()).verified).toBe(true);
  });

  it('runs a counter-offer: the consumer proposes, the provider counters, the consumer accepts', async () => {
    const started = unwrap(await eu.connector.dsp.negotiations.start({ offer: proposalFrom(openOffer), provider: { did: uk.connector.did } }));
    await federation.settle();
    let sides = await bothSides(eu, uk, started.id);
    expect([sides.consumer.state, sides.provider.state]).toEqual(['REQUESTED', 'REQUESTED']);
    expect(sides.provider.awaitingDecision).toBe(true);
    unwrap(await uk.connector.dsp.negotiations.counterOffer(sides.provider.id, openOffer));
    await federation.settle();
    sides = await bothSides(eu, uk, started.id);
    expect([sides.consumer.state, sides.provider.state]).toEqual(['OFFERED', 'OFFERED']);
    unwrap(await eu.connector.dsp.negotiations.accept(started.id));
    await federation.settle();
    sides = await bothSides(eu, uk, started.id);
    expect([sides.consumer.state, sides.provider.state]).toEqual(['FINALIZED', 'FINALIZED']);
    expect(sides.consumer.agreement?.permission).toEqual(openOffer.permission);
  });

  it('refuses a consumer outside the named nations with the policy reasons, and hides the offer from its catalogue', async () => {
    const restricted = await offerDataset(uk, 'named-nations', { nations: ['ca', 'au'] }, 'Restricted admissions');
    const page = unwrap(await eu.connector.dsp.fetchCatalog({ did: uk.connector.did }));
    expect(page.catalog.dataset?.map((d) => d['@id'])).not.toContain(restricted.target);
    const started = unwrap(await eu.connector.dsp.negotiations.start({ offer: restricted, provider: { did: uk.connector.did } }));
    await federation.settle();
    const sides = await bothSides(eu, uk, started.id);
    expect([sides.consumer.state, sides.provider.state]).toEqual(['TERMINATED', 'TERMINATED']);
    expect(sides.consumer.termination).toMatchObject({ by: 'provider', code: 'SOV_NEG_POLICY_REFUSED' });
    const reasons = sides.consumer.termination?.reason as Array<{ code: string; message: string; constraint?: string }>;
    expect(reasons.length).toBeGreaterThan(0);
    expect(reasons.some((r) => r.code === 'SOV_POLICY_CONSTRAINT_UNSATISFIED' && /recipientJurisdiction/.test(String(r.constraint)))).toBe(true);
    expect(sides.provider.decision).toMatchObject({ stage: 'request', permitted: false });
  });
});

describe('termination by either side in each non-terminal state', () => {
  /** Drives a fresh negotiation until both sides rest in `state`; returns the consumer pid. */
  async function negotiationIn(state: NegotiationState): Promise<string> {
    const proposal = state === 'OFFERED' || state === 'ACCEPTED';
    const started = unwrap(await eu.connector.dsp.negotiations.start({ offer: proposal ? proposalFrom(openOffer) : openOffer, provider: { did: uk.connector.did } }));
    await federation.step(eu);
    if (proposal) {
      const { provider } = await bothSides(eu, uk, started.id);
      unwrap(await uk.connector.dsp.negotiations.counterOffer(provider.id, openOffer));
      await federation.step(uk);
      if (state === 'ACCEPTED') {
        unwrap(await eu.connector.dsp.negotiations.accept(started.id));
        await federation.step(eu);
      }
    }
    if (state === 'AGREED' || state === 'VERIFIED') await federation.step(uk);
    if (state === 'VERIFIED') await federation.step(eu);
    const sides = await bothSides(eu, uk, started.id);
    expect([sides.consumer.state, sides.provider.state]).toEqual([state, state]);
    return started.id;
  }

  const states: NegotiationState[] = ['REQUESTED', 'OFFERED', 'ACCEPTED', 'AGREED', 'VERIFIED'];
  for (const state of states) {
    for (const by of ['consumer', 'provider'] as const) {
      it(`${by} terminates in ${state}`, async () => {
        const consumerPid = await negotiationIn(state);
        const before = await bothSides(eu, uk, consumerPid);
        const [node, id] = by === 'consumer' ? [eu, consumerPid] : [uk, before.provider.id];
        unwrap(await node.connector.dsp.negotiations.terminate(id, { code: 'ADMIN_STOP', reason: [`stopped in ${state}`] }));
        await federation.settle();
        const after = await bothSides(eu, uk, consumerPid);
        expect([after.consumer.state, after.provider.state]).toEqual(['TERMINATED', 'TERMINATED']);
        if (by === 'consumer' && state === 'VERIFIED') {
          // The provider's FINALIZED crossed our termination: it is refused (it would end the
          // process as FINALIZED on their side), so the provider terminates, naming our reason.
          expect(after.provider.termination).toMatchObject({ by: 'provider', code: 'SOV_DSP_PEER_REFUSED' });
          expect(String(after.provider.termination?.reason?.[0])).toMatch(/being terminated \(ADMIN_STOP; stopped in VERIFIED\)/);
          return;
        }
        expect(after.consumer.termination).toMatchObject({ by, code: 'ADMIN_STOP', reason: [`stopped in ${state}`] });
        expect(after.provider.termination).toMatchObject({ by, code: 'ADMIN_STOP' });
      });
    }
  }
});
