import { describe, expect, it } from 'vitest';
import { uuidGenerator } from '../../src/clock/index.js';
import { issueCallerToken } from '../../src/trust/index.js';
import {
  accredit,
  newClock,
  newKms,
  presentationQueries,
  startConnector,
  startRegistrarHost,
  trustEntry,
  type TestConnector,
} from './support/federation.js';

const MINUTE = 60_000;

async function callAs(caller: TestConnector, callee: TestConnector, body: unknown = { '@type': 'CatalogRequestMessage' }) {
  const result = await caller.client.post(callee.catalogUrl, callee.did, body);
  if (!result.ok) throw new Error(result.detail);
  return result.value as { status: number; headers: Headers; body: Record<string, unknown> };
}

/** UK registrar, provider A trusting it, consumer B accredited by it. */
async function ukFederation() {
  const clock = newClock();
  const host = await startRegistrarHost(clock);
  const uk = await host.add('/uk');
  const provider = await startConnector(clock, [trustEntry(uk)]);
  const consumer = await startConnector(clock, [trustEntry(uk)]);
  const credentialId = await accredit(uk, consumer);
  return { clock, host, uk, provider, consumer, credentialId };
}

describe('federation trust over loopback HTTP', () => {
  it('accepts a member caller and hands the route its verified claims', async () => {
    const { uk, provider, consumer, credentialId } = await ukFederation();
    expect(uk.did).toMatch(/^did:web:127\.0\.0\.1%3A\d+:uk$/);
    const response = await callAs(consumer, provider);
    expect(response.status).toBe(200);
    expect(response.body['caller']).toEqual({
      did: consumer.did,
      registrar: uk.did,
      membershipCredentialId: credentialId,
      legalName: 'Office for National Statistics',
      registrationNumber: 'GB-ONS-001',
      jurisdiction: 'UK',
      countrySubdivisionCode: 'GB-WLS',
      roles: ['consumer', 'researcher'],
      maxClassification: 'OFFICIAL',
      validUntil: expect.stringMatching(/^2027-11-29T/) as unknown,
    });
  });

  it('checks membership once and serves later calls from the cache until the status list goes stale', async () => {
    const { clock, provider, consumer } = await ukFederation();
    expect((await callAs(consumer, provider)).status).toBe(200);
    expect((await callAs(consumer, provider)).status).toBe(200);
    expect(presentationQueries(provider)).toHaveLength(1);
    clock.advance(4 * MINUTE);
    expect((await callAs(consumer, provider)).status).toBe(200);
    expect(presentationQueries(provider)).toHaveLength(1);
    // The registrar's list advertises a 5-minute ttl: the verdict lapses with it, before 10 minutes.
    clock.advance(2 * MINUTE);
    expect((await callAs(consumer, provider)).status).toBe(200);
    expect(presentationQueries(provider)).toHaveLength(2);
  });

  it('refuses a member of a registrar that is not in the callee\'s own trust list', async () => {
    const { clock, host, provider } = await ukFederation();
    const eu = await host.add('/eu');
    const stranger = await startConnector(clock, [trustEntry(eu)]);
    await accredit(eu, stranger, 'Agence européenne');
    const response = await callAs(stranger, provider);
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ '@type': 'CatalogError', code: 'SOV_TRUST_ISSUER_NOT_TRUSTED' });
  });

  it('refuses a membership minted with a key the callee did not pin (hijacked registrar host)', async () => {
    const clock = newClock();
    const host = await startRegistrarHost(clock);
    const genuine = await host.add('/uk');
    const provider = await startConnector(clock, [trustEntry(genuine)]);
    // The attacker controls the web host: it serves its own key under the registrar's DID.
    const forged = await host.add('/uk', await newKms(clock));
    expect(forged.did).toBe(genuine.did);
    const impostor = await startConnector(clock, [trustEntry(genuine)]);
    await accredit(forged, impostor, 'Impostor Ltd');
    const response = await callAs(impostor, provider);
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ code: 'SOV_TRUST_ISSUER_KEY_NOT_PINNED' });
  });

  it('refuses a revoked member once the cached verdict and the status list are re-read', async () => {
    const { clock, uk, provider, consumer, credentialId } = await ukFederation();
    expect((await callAs(consumer, provider)).status).toBe(200);
    const revoked = await uk.revoke(credentialId);
    expect(revoked.ok && revoked.value.revokedAt).toBe(new Date(clock.now()).toISOString());
    clock.advance(11 * MINUTE);
    const response = await callAs(consumer, provider);
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ code: 'SOV_TRUST_MEMBERSHIP_REVOKED' });
    expect(String((response.body['reason'] as string[])[0])).toMatch(/revoked/);
    expect((await uk.accreditations()).find((r) => r.credentialId === credentialId)?.revokedAt).toBeDefined();
  });

  it('refuses a caller that holds no membership credential', async () => {
    const { clock, uk, provider } = await ukFederation();
    const outsider = await startConnector(clock, [trustEntry(uk)]);
    const response = await callAs(outsider, provider);
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ code: 'SOV_TRUST_NOT_A_MEMBER' });
  });

  it('refuses an old presentation replayed by a malicious holder endpoint (wrong challenge)', async () => {
    const { provider, consumer } = await ukFederation();
    let captured: Record<string, unknown> | undefined;
    consumer.answer = async (body, token, request) => {
      const answer = await consumer.honestAnswer(body, token, request);
      if (answer.ok) captured ??= answer.value;
      return captured === undefined ? answer : { ok: true, value: captured };
    };
    expect((await callAs(consumer, provider)).status).toBe(200);
    provider.membership.forget(consumer.did);
    const response = await callAs(consumer, provider);
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ code: 'SOV_TRUST_PRESENTATION_INVALID' });
    expect(String((response.body['reason'] as string[])[0])).toMatch(/challenge/);
  });

  it('refuses a presentation signed for another verifier (wrong domain)', async () => {
    const { provider, consumer } = await ukFederation();
    consumer.answer = async (body) => {
      const { challenge } = body as { challenge: string };
      const vp = await consumer.identity.present(await consumer.held.list(), { challenge, domain: 'did:web:elsewhere.example' });
      return vp.ok ? { ok: true, value: { type: 'PresentationResponseMessage', presentation: [vp.value] } } : vp;
    };
    const response = await callAs(consumer, provider);
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ code: 'SOV_TRUST_PRESENTATION_INVALID' });
    expect(String((response.body['reason'] as string[])[0])).toMatch(/domain/);
  });
});

describe('caller token at the HTTP edge', () => {
  async function sendWithToken(from: TestConnector, to: TestConnector, token: string | undefined, url = to.catalogUrl) {
    return fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
      body: '{}',
    });
  }

  it('refuses a replayed token', async () => {
    const { clock, provider, consumer } = await ukFederation();
    const token = await issueCallerToken({ signer: consumer.kms, callerDid: consumer.did, audienceDid: provider.did, request: { method: 'POST', url: provider.catalogUrl, body: '{}' }, clock, ids: uuidGenerator });
    expect((await sendWithToken(consumer, provider, token)).status).toBe(200);
    const again = await sendWithToken(consumer, provider, token);
    expect(again.status).toBe(401);
    expect(await again.json()).toMatchObject({ '@type': 'CatalogError', code: 'SOV_TRUST_TOKEN_REPLAYED' });
  });

  it('refuses a token issued for another audience', async () => {
    const { clock, provider, consumer } = await ukFederation();
    const token = await issueCallerToken({ signer: consumer.kms, callerDid: consumer.did, audienceDid: consumer.did, request: { method: 'POST', url: provider.catalogUrl, body: '{}' }, clock, ids: uuidGenerator });
    const response = await sendWithToken(consumer, provider, token);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'SOV_TRUST_TOKEN_WRONG_AUDIENCE' });
  });

  it('refuses an expired token', async () => {
    const { clock, provider, consumer } = await ukFederation();
    const token = await issueCallerToken({ signer: consumer.kms, callerDid: consumer.did, audienceDid: provider.did, request: { method: 'POST', url: provider.catalogUrl, body: '{}' }, clock, ids: uuidGenerator });
    clock.advance(6 * MINUTE);
    const response = await sendWithToken(consumer, provider, token);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'SOV_TRUST_TOKEN_EXPIRED' });
  });

  it('answers a missing token with 401, a Bearer challenge and the route\'s error shape', async () => {
    const { provider, consumer } = await ukFederation();
    const dsp = await sendWithToken(consumer, provider, undefined);
    expect(dsp.status).toBe(401);
    expect(dsp.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await dsp.json()).toMatchObject({ '@type': 'CatalogError', code: 'SOV_TRUST_TOKEN_MISSING' });
    const probe = await sendWithToken(consumer, provider, undefined, provider.probeUrl);
    expect(probe.status).toBe(401);
    expect(probe.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await probe.json()).toMatchObject({ code: 'SOV_TRUST_TOKEN_MISSING', status: 401 });
  });

  it('accepts the same member on a problem+json route through the same middleware', async () => {
    const { provider, consumer } = await ukFederation();
    const result = await consumer.client.post(provider.probeUrl, provider.did, { hello: 'world' });
    expect(result.ok && result.value.status).toBe(200);
    expect(result.ok && (result.value.body as { caller: { did: string } }).caller.did).toBe(consumer.did);
  });
});

describe('credential service (holder side)', () => {
  it('answers a verifier only with its own token and only for its own domain', async () => {
    const { provider, consumer } = await ukFederation();
    const query = { '@context': ['https://w3id.org/dspace-dcp/v1.0/dcp.jsonld'], type: 'PresentationQueryMessage', scope: ['org.eclipse.dspace.dcp.vc.type:FederationMembershipCredential'], challenge: 'a-fresh-nonce-0123456789' };
    const url = `${consumer.url}/cs/presentations/query`;
    const anonymous = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...query, domain: provider.did }) });
    expect(anonymous.status).toBe(401);
    const foreignDomain = await provider.client.post(url, consumer.did, { ...query, domain: 'did:web:elsewhere.example' });
    expect(foreignDomain.ok && foreignDomain.value.status).toBe(400);
    const answered = await provider.client.post(url, consumer.did, { ...query, domain: provider.did });
    const body = answered.ok ? (answered.value.body as { type: string; presentation: Array<{ holder: string; proof: { challenge: string } }> }) : undefined;
    expect(body?.type).toBe('PresentationResponseMessage');
    expect(body?.presentation[0]?.holder).toBe(consumer.did);
    expect(body?.presentation[0]?.proof.challenge).toBe(query.challenge);
  });
});
