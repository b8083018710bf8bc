import express from 'express';
import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../src/clock/index.js';
import { DomainError, fail } from '../../src/errors/index.js';
import { createBearerAuth, createHttpApp, mountManagementApi, requireRole, type LoginEvent } from '../../src/http/index.js';
import { jsonOf, serve, silentLogger } from './harness.js';

const ADMIN = 'admin-token-0123456789abcdef';
const RESEARCHER = 'researcher-token-0123456789ab';

async function managementServer(options: { onLogin?: (event: LoginEvent) => void; clock?: SimulatedClock } = {}): Promise<string> {
  const app = createHttpApp({ logger: silentLogger, limits: { managementBodyBytes: 2048, dspBodyBytes: 1024 } });
  const api = express.Router();
  api.get('/whoami', (_req, res) => {
    res.json({ ok: true });
  });
  api.post('/echo', (req, res) => {
    res.json({ received: req.body as unknown });
  });
  api.post('/keys/rotate', requireRole('admin'), (_req, res) => {
    res.json({ rotated: true });
  });
  api.get('/boom', () => {
    throw new Error('database password is hunter2');
  });
  api.get('/item/:id', (req, res) => {
    res.json({ id: req.params.id });
  });
  api.get('/refused', () => {
    throw new DomainError(fail('SOV_CONFLICT', 'the offer is already published', { offerId: 'o-1' }));
  });
  const auth = createBearerAuth({
    tokens: [
      { role: 'admin', token: ADMIN },
      { role: 'researcher', token: RESEARCHER },
    ],
    clock: options.clock ?? new SimulatedClock(),
    onLogin: options.onLogin,
    loginWindowMs: 60_000,
  });
  mountManagementApi(app, { auth, routers: [api] });
  return serve(app);
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

function expectProblem(response: Response, status: number): void {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
}

describe('management API authentication', () => {
  it('answers a missing token with 401 problem+json and a Bearer challenge', async () => {
    const response = await fetch(`${await managementServer()}/api/whoami`);
    expectProblem(response, 401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="sovc"');
    expect(await jsonOf(response)).toMatchObject({
      type: 'https://w3id.org/sovereign-connector/errors#SOV_UNAUTHORIZED',
      title: 'Authentication is missing or invalid',
      status: 401,
      code: 'SOV_UNAUTHORIZED',
    });
  });

  it('answers a wrong token with 401 and error="invalid_token"', async () => {
    const response = await fetch(`${await managementServer()}/api/whoami`, { headers: bearer(`${ADMIN}x`) });
    expectProblem(response, 401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="sovc", error="invalid_token"');
  });

  it('refuses other schemes with error="invalid_request"', async () => {
    const response = await fetch(`${await managementServer()}/api/whoami`, { headers: { authorization: `Basic ${btoa(`admin:${ADMIN}`)}` } });
    expectProblem(response, 401);
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_request"');
  });

  it('lets both roles reach researcher routes', async () => {
    const base = await managementServer();
    for (const token of [ADMIN, RESEARCHER]) {
      const response = await fetch(`${base}/api/whoami`, { headers: bearer(token) });
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('gives a researcher 403 on an admin route and lets the admin through', async () => {
    const base = await managementServer();
    const denied = await fetch(`${base}/api/keys/rotate`, { method: 'POST', headers: bearer(RESEARCHER) });
    expectProblem(denied, 403);
    expect(await jsonOf(denied)).toMatchObject({ code: 'SOV_FORBIDDEN', detail: 'this action needs the admin role; the token has the researcher role' });
    const allowed = await fetch(`${base}/api/keys/rotate`, { method: 'POST', headers: bearer(ADMIN) });
    expect(await jsonOf(allowed)).toEqual({ rotated: true });
  });

  it('reports a login once per token per window to the audit hook', async () => {
    const clock = new SimulatedClock();
    const logins: LoginEvent[] = [];
    const base = await managementServer({ clock, onLogin: (event) => logins.push(event) });
    const call = () => fetch(`${base}/api/whoami`, { headers: bearer(ADMIN) });
    await call();
    await call();
    expect(logins).toHaveLength(1);
    expect(logins[0]).toMatchObject({ role: 'admin', at: clock.now() });
    expect(logins[0]?.tokenId).toMatch(/^[0-9a-f]{12}$/);
    expect(JSON.stringify(logins)).not.toContain(ADMIN);
    clock.advance(60_000);
    await call();
    await fetch(`${base}/api/whoami`, { headers: bearer(RESEARCHER) });
    expect(logins.map((event) => event.role)).toEqual(['admin', 'admin', 'researcher']);
    await fetch(`${base}/api/whoami`, { headers: bearer('not-the-token-0123456789') });
    expect(logins).toHaveLength(3);
  });

  it('refuses to build with a short token (misuse throws)', () => {
    expect(() => createBearerAuth({ tokens: [{ role: 'admin', token: 'short' }], clock: new SimulatedClock() })).toThrow(/16 characters/);
  });
});

describe('management API bodies and errors', () => {
  const post = (base: string, body: string, contentType = 'application/json') =>
    fetch(`${base}/api/echo`, { method: 'POST', headers: { ...bearer(ADMIN), 'content-type': contentType }, body });

  it('parses a JSON body within the limit', async () => {
    const response = await post(await managementServer(), JSON.stringify({ a: 1 }));
    expect(await jsonOf(response)).toEqual({ received: { a: 1 } });
  });

  it('answers an oversized body with 413 problem+json naming the limit', async () => {
    const response = await post(await managementServer(), JSON.stringify({ blob: 'x'.repeat(4096) }));
    expectProblem(response, 413);
    expect(await jsonOf(response)).toMatchObject({ code: 'SOV_PAYLOAD_TOO_LARGE', limitBytes: 2048 });
  });

  it('answers a non-JSON content type with 415', async () => {
    const response = await post(await managementServer(), 'a=1', 'application/x-www-form-urlencoded');
    expectProblem(response, 415);
    expect(await jsonOf(response)).toMatchObject({
      code: 'SOV_UNSUPPORTED_MEDIA_TYPE',
      detail: 'expected Content-Type application/json, got application/x-www-form-urlencoded',
    });
  });

  it('answers malformed JSON with a 400 JSON body, not an HTML page', async () => {
    const response = await post(await managementServer(), '{"a": ');
    expectProblem(response, 400);
    expect(await jsonOf(response)).toMatchObject({ code: 'SOV_HTTP_MALFORMED_JSON' });
  });

  it('answers an unknown route with a 404 problem', async () => {
    const response = await fetch(`${await managementServer()}/api/nothing-here?token=secret`, { headers: bearer(ADMIN) });
    expectProblem(response, 404);
    expect(await jsonOf(response)).toMatchObject({ code: 'SOV_HTTP_ROUTE_NOT_FOUND', detail: 'no endpoint GET /api/nothing-here' });
  });

  it('answers an error thrown in a handler with a 500 problem that leaks neither message nor stack', async () => {
    const response = await fetch(`${await managementServer()}/api/boom`, { headers: bearer(ADMIN) });
    expectProblem(response, 500);
    const text = await response.text();
    expect(text).not.toContain('hunter2');
    expect(text).not.toMatch(/\bat \S+ \(|\.ts:\d+/);
    const body = JSON.parse(text) as Record<string, unknown>;
    expect(body).toMatchObject({ code: 'SOV_INTERNAL', requestId: response.headers.get('x-request-id') });
  });

  it('renders a DomainError thrown in a handler with its own code, status and data', async () => {
    const response = await fetch(`${await managementServer()}/api/refused`, { headers: bearer(ADMIN) });
    expectProblem(response, 409);
    expect(await jsonOf(response)).toEqual({
      type: 'https://w3id.org/sovereign-connector/errors#SOV_CONFLICT',
      title: 'The resource is in a conflicting state',
      status: 409,
      detail: 'the offer is already published',
      code: 'SOV_CONFLICT',
      offerId: 'o-1',
    });
  });

  it('never sends X-Powered-By and always sends nosniff', async () => {
    const response = await fetch(`${await managementServer()}/nowhere`);
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expectProblem(response, 404);
  });

  it('answers a malformed percent-encoding in the path with a JSON 400', async () => {
    const response = await fetch(`${await managementServer()}/api/item/%E0%A4%A`, { headers: bearer(ADMIN) });
    expectProblem(response, 400);
    expect(await jsonOf(response)).toMatchObject({ code: 'SOV_BAD_REQUEST', detail: "Failed to decode param '%E0%A4%A'" });
  });
});
