/**
 * Who may do what on the management API (issue 6): researchers may read offerings, fetch
 * catalogues and start negotiations and transfers for themselves, see only their own
 * processes, and may not create or retire offerings or steer processes (403 problem). Admin
 * logins and offering changes land in the audit trail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector } from '../../../src/connector/index.js';
import { unwrap } from '../../../src/errors/index.js';
import { dspFederation, offerDataset } from '../../e2e/dsp-support.js';
import { testConnector } from '../../support/partners.js';

type Json = Record<string, unknown>;

function client(base: string) {
  return async (token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: response.status, body: (await response.json()) as Json };
  };
}

const offering = {
  title: 'Bed occupancy',
  policy: { template: 'time-limited', params: { days: 30 } },
  classification: 'official',
  personalData: false,
  dataSource: { type: 'file', reference: 'connectors/uk/data/beds.csv' },
};

describe('roles and audit on one connector', () => {
  let uk: Connector;
  let call: ReturnType<typeof client>;
  const ADMIN = 'admin-token-for-uk-tests';
  const RESEARCHER = 'researcher-token-for-uk-tests';

  beforeAll(async () => {
    uk = await testConnector('uk');
    unwrap(await uk.start());
    call = client(uk.config.publicBaseUrl);
  });
  afterAll(async () => uk.stop());

  it('a researcher reads offerings but may not create, change or retire one', async () => {
    const created = await call(ADMIN, 'POST', '/api/offerings', offering);
    expect(created.status).toBe(201);
    const path = `/api/offerings/${encodeURIComponent(String(created.body['id']))}`;
    expect((await call(RESEARCHER, 'GET', path)).status).toBe(200);
    for (const [method, target, body] of [['POST', '/api/offerings', offering], ['PATCH', path, { title: 'x' }], ['POST', `${path}/retire`, undefined]] as const) {
      const refused = await call(RESEARCHER, method, target, body);
      expect(refused).toMatchObject({ status: 403, body: { code: 'SOV_FORBIDDEN', status: 403 } });
    }
    expect((await call(RESEARCHER, 'GET', '/api/audit')).status).toBe(403);
  });

  it('refuses a classification outside the jurisdiction profile, naming the labels', async () => {
    const refused = await call(ADMIN, 'POST', '/api/offerings', { ...offering, classification: 'PROTECTED B' });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'SOV_OFFERING_INVALID', issues: [{ path: 'classification' }] });
    expect(String(refused.body['detail'])).toContain('OFFICIAL-SENSITIVE');
  });

  it('reports schema violations field by field before any logic runs', async () => {
    const refused = await call(ADMIN, 'POST', '/api/offerings', { ...offering, title: '', colour: 'blue' });
    expect(refused.status).toBe(400);
    const paths = (refused.body['issues'] as Array<{ path: string }>).map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['title', '(root)']));
  });

  it('audits each login once per window and each offering change with the actor, in the trail', async () => {
    const created = await call(ADMIN, 'POST', '/api/offerings', { ...offering, title: 'Audited' });
    const id = String(created.body['id']);
    const entries = await uk.audit.tail(100);
    const logins = entries.filter((e) => e.type === 'admin.login');
    expect(logins.map((e) => e.details['role']).sort()).toEqual(['admin', 'researcher']);
    const change = entries.find((e) => e.type === 'offering.changed' && e.subjects.includes(id));
    expect(change?.actor).toMatch(/^admin:admin-[0-9a-f]{12}$/);
    expect(change?.details).toMatchObject({ kind: 'created', version: 1 });
    expect((await call(ADMIN, 'GET', `/api/offerings/${encodeURIComponent(id)}`)).body['classification']).toBe('OFFICIAL');
    expect((await uk.audit.verify()).verified).toBe(true);
  });

  it('serves the OpenAPI document without a token', async () => {
    const response = await fetch(`${uk.config.publicBaseUrl}/api/openapi.json`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as Json)['openapi']).toBe('3.1.0');
  });
});

describe('researchers see and use only their own processes', () => {
  it('lists, shows and transfers under its own negotiations only; steering is for admins', async () => {
    const federation = await dspFederation(['uk', 'eu']);
    const eu = federation.nodes['eu']!;
    const uk = federation.nodes['uk']!;
    const call = client(eu.connector.config.publicBaseUrl);
    const [ADMIN, RESEARCHER] = ['admin-token-for-eu-tests', 'researcher-token-for-eu-tests'];
    const offer = await offerDataset(uk, 'coalition-open');
    const start = { providerDid: uk.connector.did, offerId: offer['@id'], datasetId: offer.target };
    const mine = await call(RESEARCHER, 'POST', '/api/negotiations', start);
    const theirs = await call(ADMIN, 'POST', '/api/negotiations', start);
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    await federation.settle();

    const listed = await call(RESEARCHER, 'GET', '/api/negotiations');
    expect((listed.body['items'] as Json[]).map((n) => n['id'])).toEqual([mine.body['id']]);
    expect((await call(ADMIN, 'GET', '/api/negotiations')).body['items']).toHaveLength(2);
    expect((await call(RESEARCHER, 'GET', `/api/negotiations/${encodeURIComponent(String(theirs.body['id']))}`)).status).toBe(404);
    expect((await call(RESEARCHER, 'POST', `/api/negotiations/${encodeURIComponent(String(mine.body['id']))}/terminate`)).status).toBe(403);

    const agreements = (await call(RESEARCHER, 'GET', '/api/agreements')).body['items'] as Array<{ id: string; negotiationId: string }>;
    expect(agreements.map((a) => a.negotiationId)).toEqual([mine.body['id']]);
    const all = (await call(ADMIN, 'GET', '/api/agreements')).body['items'] as Array<{ id: string; negotiationId: string }>;
    const adminAgreement = all.find((a) => a.negotiationId === theirs.body['id']);
    expect((await call(RESEARCHER, 'POST', '/api/transfers', { agreementId: adminAgreement?.id })).body).toMatchObject({ code: 'SOV_TRANSFER_AGREEMENT_NOT_HELD' });
    const transfer = await call(RESEARCHER, 'POST', '/api/transfers', { agreementId: agreements[0]?.id });
    expect(transfer.status).toBe(201);
    expect((await call(RESEARCHER, 'POST', `/api/transfers/${encodeURIComponent(String(transfer.body['id']))}/suspend`)).status).toBe(403);
    expect(((await call(RESEARCHER, 'GET', '/api/transfers')).body['items'] as Json[]).map((t) => t['id'])).toEqual([transfer.body['id']]);
    await federation.stopAll();
  });
});
