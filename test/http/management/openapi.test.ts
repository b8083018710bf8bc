/**
 * The management API against its OpenAPI 3.1 document (issue 6 "Management API"): two
 * connectors (uk consumer, eu provider) over loopback; every documented operation is called
 * with a success and with a failure, and each real response (status, media type, body)
 * must match the document. Routes served under /api but undocumented, or documented but not
 * served, fail the test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { managementApiDocument } from '../../../src/http/openapi/index.js';
import type { Connector } from '../../../src/connector/index.js';
import { unwrap } from '../../../src/errors/index.js';
import { dspFederation, offerDataset } from '../../e2e/dsp-support.js';
import { testConnector } from '../../support/partners.js';
import { agree, dataPlaneFederation, offer } from '../../dataplane/transfer/federation.js';
import { checkedClient, openApiChecker, type OpenApiChecker } from './openapi-checker.js';
import { servedRoutes } from './served-routes.js';

const ADMIN = 'admin-token-for-uk-tests';
const RESEARCHER = 'researcher-token-for-uk-tests';

const newOffering = {
  title: 'Hospital admissions 2024',
  description: 'Weekly admissions by region',
  keywords: ['health'],
  policy: { template: 'coalition-open', params: {} },
  classification: 'OFFICIAL',
  personalData: false,
  dataSource: { type: 'file', reference: 'connectors/uk/data/admissions.csv' },
};

describe('management API vs its OpenAPI document', () => {
  let uk: Connector;
  let checker: OpenApiChecker;
  let api: ReturnType<typeof checkedClient>;

  beforeAll(async () => {
    uk = await testConnector('uk');
    unwrap(await uk.start());
    checker = openApiChecker(managementApiDocument());
    api = checkedClient(uk.config.publicBaseUrl, checker);
  });
  afterAll(async () => uk.stop());

  it('serves exactly the documented operations under /api', () => {
    const served = servedRoutes(uk.http.express, '/api').map((route) => route.replace(/:([A-Za-z]+)/g, '{$1}'));
    expect(served).toEqual(checker.operationKeys());
  });

  it('the served document is the one the test checks against', async () => {
    const { status, body } = await api('GET', '/api/openapi.json');
    expect(status).toBe(200);
    expect(body).toEqual(JSON.parse(JSON.stringify(managementApiDocument())));
  });

  it('identity, templates and audit', async () => {
    expect((await api('GET', '/api/identity', { token: ADMIN })).status).toBe(200);
    expect((await api('GET', '/api/identity')).status).toBe(401);
    expect((await api('GET', '/api/templates', { token: RESEARCHER })).status).toBe(200);
    expect((await api('GET', '/api/templates', { token: 'not-a-valid-token-at-all' })).status).toBe(401);
    expect((await api('GET', '/api/audit?type=admin.login&limit=5', { token: ADMIN })).status).toBe(200);
    expect((await api('GET', '/api/audit?type=no.such.type', { token: ADMIN })).status).toBe(400);
    expect((await api('GET', '/api/audit/verify', { token: ADMIN })).status).toBe(200);
    expect((await api('GET', '/api/audit/verify', { token: RESEARCHER })).status).toBe(403);
  });

  it('offerings: create, list, show, patch, put, retire', async () => {
    const created = await api('POST', '/api/offerings', { token: ADMIN, body: newOffering });
    expect(created.status).toBe(201);
    const offering = created.body as { id: string; version: number };
    expect((await api('POST', '/api/offerings', { token: ADMIN, body: { ...newOffering, classification: 'SECRET' } })).status).toBe(400);
    expect((await api('GET', '/api/offerings?status=active&limit=10', { token: RESEARCHER })).status).toBe(200);
    expect((await api('GET', '/api/offerings?status=gone', { token: ADMIN })).status).toBe(400);
    expect((await api('GET', `/api/offerings/${encodeURIComponent(offering.id)}`, { token: ADMIN })).status).toBe(200);
    expect((await api('GET', '/api/offerings/urn:uuid:missing', { token: ADMIN })).status).toBe(404);
    const path = `/api/offerings/${encodeURIComponent(offering.id)}`;
    const patched = await api('PATCH', path, { token: ADMIN, body: { title: 'Admissions (weekly)', expectedVersion: 1 } });
    expect(patched.status).toBe(200);
    expect((await api('PATCH', path, { token: ADMIN, body: { title: 'Stale', expectedVersion: 1 } })).status).toBe(409);
    const { description: _dropped, ...withoutDescription } = newOffering;
    const replaced = await api('PUT', path, { token: ADMIN, body: { ...withoutDescription, expectedVersion: 2 } });
    expect(replaced.status).toBe(200);
    expect(replaced.body).not.toHaveProperty('description');
    expect((await api('PUT', path, { token: ADMIN, body: { title: 'only a title', expectedVersion: 3 } })).status).toBe(400);
    expect((await api('POST', `${path}/retire`, { token: ADMIN })).status).toBe(200);
    expect((await api('POST', `${path}/retire`, { token: ADMIN })).status).toBe(409);
  });

  // A federation of its own: its registrar host lives for one test (test/http/harness.ts).
  it('remote catalogue, negotiations, agreements and transfers', async () => {
    const federation = await dspFederation(['uk', 'eu']);
    // eu consumes what uk offers (uk offerings are OFFICIAL, releasable to the coalition).
    const provider = federation.nodes['uk']!;
    const api = checkedClient(federation.nodes['eu']!.connector.config.publicBaseUrl, checker);
    const [ADMIN, RESEARCHER] = ['admin-token-for-eu-tests', 'researcher-token-for-eu-tests'];
    const offer = await offerDataset(provider, 'coalition-open');
    const fetched = await api('POST', '/api/catalog/fetch', { token: RESEARCHER, body: { url: provider.connector.config.publicBaseUrl } });
    expect(fetched.status).toBe(200);
    expect(JSON.stringify(fetched.body)).toContain(offer['@id']);
    expect((await api('POST', '/api/catalog/fetch', { token: RESEARCHER, body: {} })).status).toBe(400);

    const start = { providerDid: provider.connector.did, offerId: offer['@id'], datasetId: offer.target };
    const started = await api('POST', '/api/negotiations', { token: ADMIN, body: start });
    expect(started.status).toBe(201);
    expect((await api('POST', '/api/negotiations', { token: ADMIN, body: { ...start, datasetId: 'urn:uuid:not-offered' } })).status).toBe(404);
    await federation.settle();
    const id = (started.body as { id: string }).id;
    expect((await api('GET', '/api/negotiations?limit=5', { token: ADMIN })).status).toBe(200);
    expect((await api('GET', '/api/negotiations?state=lowercase', { token: ADMIN })).status).toBe(400);
    expect((await api('GET', `/api/negotiations/${encodeURIComponent(id)}`, { token: ADMIN })).status).toBe(200);
    expect((await api('GET', '/api/negotiations/urn:uuid:unknown', { token: ADMIN })).status).toBe(404);

    const listed = await api('GET', '/api/agreements?limit=10', { token: ADMIN });
    expect(listed.status).toBe(200);
    const agreement = (listed.body as { items: Array<{ id: string; negotiationId: string }> }).items.find((a) => a.negotiationId === id);
    expect(agreement).toBeDefined();
    const agreementPath = `/api/agreements/${encodeURIComponent(agreement!.id)}`;
    expect((await api('GET', '/api/agreements?limit=0', { token: ADMIN })).status).toBe(400);
    expect((await api('GET', agreementPath, { token: ADMIN })).status).toBe(200);
    expect((await api('GET', '/api/agreements/urn:uuid:unknown', { token: ADMIN })).status).toBe(404);
    const verified = await api('POST', `${agreementPath}/verify`, { token: ADMIN });
    expect(verified.body).toMatchObject({ verified: true, provider: { verified: true }, consumer: { verified: true } });
    expect((await api('POST', '/api/agreements/urn:uuid:unknown/verify', { token: ADMIN })).status).toBe(404);

    const transfer = await api('POST', '/api/transfers', { token: ADMIN, body: { agreementId: agreement!.id } });
    expect(transfer.status).toBe(201);
    expect((await api('POST', '/api/transfers', { token: ADMIN, body: { agreementId: 'urn:uuid:no-such-agreement' } })).status).toBe(400);
    await federation.settle();
    const transferPath = `/api/transfers/${encodeURIComponent((transfer.body as { id: string }).id)}`;
    expect(((await api('GET', transferPath, { token: ADMIN })).body as { state: string }).state).toBe('STARTED');
    expect((await api('GET', '/api/transfers/urn:uuid:unknown', { token: ADMIN })).status).toBe(404);
    expect((await api('GET', '/api/transfers?state=STARTED', { token: ADMIN })).status).toBe(200);
    expect((await api('GET', '/api/transfers?limit=many', { token: ADMIN })).status).toBe(400);
    expect((await api('POST', `${transferPath}/suspend`, { token: ADMIN, body: { code: 'MAINTENANCE', reason: 'disk swap' } })).status).toBe(200);
    await federation.settle();
    expect((await api('POST', `${transferPath}/resume`, { token: ADMIN })).status).toBe(200);
    await federation.settle();
    expect((await api('POST', `${transferPath}/terminate`, { token: ADMIN, body: { reason: 'done early' } })).status).toBe(200);
    await federation.settle();
    for (const action of ['suspend', 'resume', 'terminate']) {
      expect((await api('POST', `/api/transfers/urn:uuid:unknown/${action}`, { token: ADMIN })).status).toBe(404);
    }
    expect((await api('POST', '/api/transfers/urn:uuid:unknown/receive', { token: ADMIN })).status).toBe(404);
    expect((await api('GET', '/api/transfers/urn:uuid:unknown/report', { token: ADMIN })).status).toBe(404);
    expect((await api('GET', '/api/transfers/urn:uuid:unknown/data', { token: ADMIN })).status).toBe(404);

    const again = await api('POST', '/api/negotiations', { token: ADMIN, body: start });
    await federation.nodes['eu']!.connector.dsp.worker.drain(); // the request travels: REQUESTED, the agreement not yet sent
    const terminated = await api('POST', `/api/negotiations/${encodeURIComponent((again.body as { id: string }).id)}/terminate`, {
      token: ADMIN,
      body: { code: 'admin.cancelled', reason: 'changed our mind' },
    });
    expect(terminated.status).toBe(200);
    expect((await api('POST', '/api/negotiations/urn:uuid:unknown/terminate', { token: ADMIN })).status).toBe(404);
    await federation.stopAll();
  });

  it('federated catalogue: search and refresh', async () => {
    expect((await api('POST', '/api/catalog/federated/refresh', { token: ADMIN })).status).toBe(200);
    expect((await api('POST', '/api/catalog/federated/refresh', { token: RESEARCHER })).status).toBe(403);
    expect((await api('GET', '/api/catalog/federated/search?q=admissions&nation=UK&page=1&pageSize=5', { token: RESEARCHER })).status).toBe(200);
    expect((await api('GET', '/api/catalog/federated/search?pageSize=1000', { token: RESEARCHER })).status).toBe(400);
  });

  it('compliance report: the signed evidence pack and its HTML', async () => {
    const report = await api('GET', '/api/compliance/report?since=2020-01-01', { token: ADMIN });
    expect(report.status).toBe(200);
    expect((report.body as { credential: { type: string[] } }).credential.type).toContain('ComplianceEvidenceCredential');
    expect((report.body as { html: string }).html).toMatch(/^<!doctype html>/i);
    expect((await api('GET', '/api/compliance/report?since=last%20tuesday', { token: ADMIN })).status).toBe(400);
    expect((await api('GET', '/api/compliance/report?since=2020-01-01', { token: RESEARCHER })).status).toBe(403);
  });

  // Real data planes: the UK uploads a dataset, the EU pulls it by itself; both sides' records through their APIs.
  it('datasets (upload, list, show, content, shred), transfer progress and outbound transfers', async () => {
    const federation = await dataPlaneFederation({ proxies: false, automaticPulls: true });
    try {
      const { uk: provider, eu: consumer } = federation;
      const offering = await offer(provider, 'coalition-open');
      const csv = Buffer.from('region,admissions\nnorth,12\nsouth,7\n');
      const [euApi, ukApi] = [consumer, provider].map((party) => checkedClient(party.connector.config.publicBaseUrl, checker)) as [typeof api, typeof api];
      const UK_ADMIN = 'admin-token-for-uk-tests';
      const uploaded = await ukApi('POST', `/api/datasets?offering=${encodeURIComponent(offering.id)}`, { token: UK_ADMIN, bytes: csv });
      expect(uploaded.body).toMatchObject({ offeringId: offering.id, origin: 'local', plaintextLength: csv.length });
      expect((await ukApi('POST', '/api/datasets?offering=urn%3Auuid%3Aunknown', { token: UK_ADMIN, bytes: csv })).status).toBe(404);
      expect((await ukApi('POST', `/api/datasets?offering=${encodeURIComponent(offering.id)}`, { token: UK_ADMIN, body: { csv: 'as json' } })).status).toBe(415);
      const transfer = unwrap(await consumer.connector.dsp.transfers.start({ agreementId: await agree(federation, offering), format: 'HttpData-PULL' }));
      for (let round = 0; round < 3; round += 1) {
        await federation.settle();
        await consumer.connector.consumerPulls.idle();
      }
      const [EU_ADMIN, EU_RESEARCHER] = ['admin-token-for-eu-tests', 'researcher-token-for-eu-tests'];
      const container = (await consumer.connector.dataPlane.datasets.get(transfer.id))?.size;
      const shown = await euApi('GET', `/api/transfers/${encodeURIComponent(transfer.id)}`, { token: EU_ADMIN });
      expect(shown.body).toMatchObject({ state: 'COMPLETED', progress: { bytes: container, total: container } });
      const listed = await euApi('GET', '/api/datasets', { token: EU_ADMIN });
      expect((listed.body as { items: Array<{ id: string }> }).items.map((d) => d.id)).toEqual([transfer.id]);
      expect((await euApi('GET', '/api/datasets')).status).toBe(401);
      // A researcher sees only what transfers it started delivered: this one an admin started.
      expect((await euApi('GET', '/api/datasets', { token: EU_RESEARCHER })).body).toEqual({ items: [] });
      const path = `/api/datasets/${encodeURIComponent(transfer.id)}`;
      expect((await euApi('GET', path, { token: EU_ADMIN })).body).toMatchObject({ origin: 'received', keyRelease: 'handover', keyStored: true, status: 'ready' });
      expect((await euApi('GET', path, { token: EU_RESEARCHER })).status).toBe(404);
      const content = await euApi('GET', `${path}/content`, { token: EU_ADMIN });
      expect(content.body).toBe(csv.toString());
      expect((await euApi('GET', `${path}/content?colour=red`, { token: EU_ADMIN })).status).toBe(400);
      expect((await euApi('POST', `${path}/shred`, { token: EU_RESEARCHER })).status).toBe(403);
      expect((await euApi('POST', `${path}/shred`, { token: EU_ADMIN })).body).toMatchObject({ status: 'shredded', keyStored: false });
      expect((await euApi('GET', `${path}/content`, { token: EU_ADMIN })).status).toBe(410);
      expect((await euApi('POST', '/api/datasets/urn:uuid:unknown/shred', { token: EU_ADMIN })).status).toBe(404);

      const providerPid = (await consumer.connector.dsp.transfers.get(transfer.id))?.providerPid as string;
      const outbound = await ukApi('GET', `/api/outbound-transfers/${encodeURIComponent(providerPid)}`, { token: UK_ADMIN });
      expect(outbound.body).toMatchObject({ status: 'completed', consumerDid: consumer.connector.did, receipt: { containerDigest: expect.any(String) } });
      expect(JSON.stringify(outbound.body)).not.toMatch(/token|envelope/i);
      expect((await ukApi('GET', '/api/outbound-transfers/urn:uuid:unknown', { token: UK_ADMIN })).status).toBe(404);
    } finally {
      await federation.stopAll();
    }
  });

  it('every documented operation was seen succeeding and failing', () => {
    // Received data needs the real encrypted data plane: test/e2e/research-request.test.ts sees
    // these succeed and checks their responses against the same document.
    expect(checker.missing('success')).toEqual(['get /api/transfers/{id}/data', 'get /api/transfers/{id}/report', 'post /api/transfers/{id}/receive']);
    // The document itself needs no token and takes no input: it has no failure to show.
    expect(checker.missing('failure')).toEqual(['get /api/openapi.json']);
  });
});
