import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../src/clock/index.js';
import { fail, ok } from '../../src/errors/index.js';
import { createHttpApp, identityRoutes, type IdentityRoutesOptions, type PresentationQueryRequest } from '../../src/http/index.js';
import { jsonOf, serve, silentLogger } from './harness.js';

const DID = 'did:web:127.0.0.1%3A7101';

function identityServer(overrides: Partial<IdentityRoutesOptions> = {}, clock = new SimulatedClock()): Promise<string> {
  const options: IdentityRoutesOptions = {
    getDidDocument: () => ({ '@context': ['https://www.w3.org/ns/did/v1'], id: DID }),
    getSelfDescription: () => ok({ type: ['VerifiablePresentation'], holder: DID }),
    answerPresentationQuery: () => ok({ type: 'PresentationResponseMessage', presentation: [] }),
    health: { did: DID, version: '0.1.0', clock, startedAt: clock.now() },
    maxBodyBytes: 1024,
    ...overrides,
  };
  const app = createHttpApp({ logger: silentLogger, limits: { managementBodyBytes: 4096, dspBodyBytes: 1024 }, routes: [identityRoutes(options)] });
  return serve(app);
}

describe('identity routes', () => {
  it('serves the DID document at /.well-known/did.json', async () => {
    const response = await fetch(`${await identityServer()}/.well-known/did.json`);
    expect(response.status).toBe(200);
    expect(await jsonOf(response)).toEqual({ '@context': ['https://www.w3.org/ns/did/v1'], id: DID });
  });

  it('serves the self-description, or a problem when it cannot be produced', async () => {
    expect(await jsonOf(await fetch(`${await identityServer()}/.well-known/participant`))).toEqual({ type: ['VerifiablePresentation'], holder: DID });
    const failing = await identityServer({ getSelfDescription: () => fail('SOV_INTERNAL', 'keys are locked') });
    const response = await fetch(`${failing}/.well-known/participant`);
    expect(response.status).toBe(500);
    expect(await jsonOf(response)).toMatchObject({ code: 'SOV_INTERNAL', detail: 'keys are locked' });
  });

  it('reports health with the DID, version and uptime from the injected clock', async () => {
    const clock = new SimulatedClock();
    const base = await identityServer({}, clock);
    clock.advance(90_500);
    expect(await jsonOf(await fetch(`${base}/health`))).toEqual({ status: 'ok', did: DID, version: '0.1.0', uptime: 90 });
  });

  it('hands the presentation query body, caller token and exact request bytes to the trust function', async () => {
    const calls: Array<[unknown, string | undefined, PresentationQueryRequest]> = [];
    const base = await identityServer({
      answerPresentationQuery: (body, token, request) => {
        calls.push([body, token, request]);
        return ok({ type: 'PresentationResponseMessage' });
      },
    });
    const raw = '{ "type": "PresentationQueryMessage" }';
    const response = await fetch(`${base}/cs/presentations/query`, {
      method: 'POST',
      headers: { authorization: 'Bearer eyJ.token.sig', 'content-type': 'application/json' },
      body: raw,
    });
    expect(await jsonOf(response)).toEqual({ type: 'PresentationResponseMessage' });
    expect(calls).toHaveLength(1);
    const [body, token, request] = calls[0]!;
    expect(body).toEqual({ type: 'PresentationQueryMessage' });
    expect(token).toBe('eyJ.token.sig');
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/cs/presentations/query');
    expect(Buffer.from(request.rawBody ?? []).toString('utf8')).toBe(raw);
  });

  it('renders a refused presentation query as a problem and passes an absent token as undefined', async () => {
    let seenToken: string | undefined = 'unset';
    const base = await identityServer({
      answerPresentationQuery: (_body, token) => {
        seenToken = token;
        return fail('SOV_UNAUTHORIZED', 'a caller token is required');
      },
    });
    const response = await fetch(`${base}/cs/presentations/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(seenToken).toBeUndefined();
  });

  it('limits the credential endpoint body without affecting other routes', async () => {
    const response = await fetch(`${await identityServer()}/cs/presentations/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pad: 'x'.repeat(2000) }),
    });
    expect(response.status).toBe(413);
  });
});
