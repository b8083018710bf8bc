/**
 * The purpose travels (issue 8 "Into the flow", docs/policy.md "Purpose over DSP"): a
 * researcher starts a negotiation through its own connector's management API, stating a
 * purpose by short name; the ContractRequestMessage carries it to the provider, whose policy
 * engine decides the purpose-constrained `research-anonymised` offer for it. Without a purpose,
 * or with one outside research, the provider refuses and the consumer is told which constraint
 * failed; with `research/health` both sides hold an agreement that binds that purpose under
 * both signatures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOV_PURPOSE } from '../../src/dsp/index.js';
import type { ContractNegotiation, TargetedOffer } from '../../src/negotiation/index.js';
import { bothSides, dspFederation, offerDataset, type Federation, type Node } from './dsp-support.js';

const HEALTH = 'https://w3id.org/sovereign-connector/vocab#purpose/research/health';
let federation: Federation;
let uk: Node;
let eu: Node;
let offer: TargetedOffer;

beforeAll(async () => {
  federation = await dspFederation(['uk', 'eu']);
  uk = federation.node('uk');
  eu = federation.node('eu');
  offer = await offerDataset(uk, 'research-anonymised', { k: 5, l: 2, maxSuppressionPercent: 5 });
}, 60_000);
afterAll(() => federation.stopAll());

/** POST /api/negotiations on the EU connector as its researcher. */
async function startOverApi(purpose?: string): Promise<{ status: number; body: ContractNegotiation & { code?: string; detail?: string } }> {
  const response = await fetch(`${eu.connector.config.publicBaseUrl}/api/negotiations`, {
    method: 'POST',
    headers: { authorization: 'Bearer researcher-token-for-eu-tests', 'content-type': 'application/json' },
    body: JSON.stringify({ providerDid: uk.connector.did, offerId: offer['@id'], datasetId: offer.target, ...(purpose === undefined ? {} : { purpose }) }),
  });
  return { status: response.status, body: (await response.json()) as ContractNegotiation & { code?: string; detail?: string } };
}

async function negotiate(purpose?: string) {
  const started = await startOverApi(purpose);
  expect(started.status).toBe(201);
  await federation.settle();
  return bothSides(eu, uk, started.body.id);
}

describe('the purpose a consumer states, over DSP between two connectors', () => {
  it('is refused without a purpose, the reason naming the purpose constraint', async () => {
    const sides = await negotiate();
    expect([sides.consumer.state, sides.provider.state]).toEqual(['TERMINATED', 'TERMINATED']);
    expect(sides.consumer.termination?.reason).toContainEqual(expect.objectContaining({ code: 'SOV_POLICY_OPERAND_MISSING', constraint: expect.stringContaining('(purpose)') }));
  });

  it('is refused with a purpose outside the constraint', async () => {
    const sides = await negotiate('commercial');
    expect(sides.provider.purpose).toBe('https://w3id.org/sovereign-connector/vocab#purpose/commercial');
    expect(sides.consumer.state).toBe('TERMINATED');
    const reasons = sides.consumer.termination?.reason as Array<{ code: string; constraint?: string; message: string }>;
    expect(reasons.find((r) => r.constraint?.includes('(purpose)'))?.message).toContain('purpose');
  });

  it('is permitted for research/health, and the signed agreement binds that purpose', async () => {
    const sides = await negotiate('research/health');
    expect([sides.consumer.state, sides.provider.state]).toEqual(['FINALIZED', 'FINALIZED']);
    expect(sides.provider.purpose).toBe(HEALTH);
    expect(sides.consumer.agreement?.[SOV_PURPOSE]).toBe(HEALTH);
    expect(sides.provider.agreement).toEqual(sides.consumer.agreement);
    const report = sides.provider.decision?.report as { request: { purpose: string }; duties: Array<{ parameters: unknown[] }> };
    expect(report.request.purpose).toBe(HEALTH);
    expect(report.duties[0]?.parameters).toHaveLength(3);
  });

  it('refuses an unknown purpose at the consumer, before anything is sent', async () => {
    const started = await startOverApi('researhc');
    expect(started.status).toBe(400);
    expect(started.body.code).toBe('SOV_VALIDATION_FAILED');
    expect(started.body.detail).toContain('research/health');
  });
});
