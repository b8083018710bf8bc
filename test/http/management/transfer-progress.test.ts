/**
 * `GET /api/transfers/:id` shows how far a consumer's pull got (`progress`), read from what the
 * data plane holds: while the provider's answer is stalled mid-container, the bytes kept so
 * far and no total; once received, the whole container as both. Checked against the OpenAPI
 * document; a provider-side transfer has no progress.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unwrap } from '../../../src/errors/index.js';
import { managementApiDocument } from '../../../src/http/openapi/index.js';
import { pattern, pieces } from '../../dataplane/support.js';
import { agree, dataPlaneFederation, offer, type DataPlaneFederation } from '../../dataplane/transfer/federation.js';
import { checkedClient, openApiChecker } from './openapi-checker.js';

let federation: DataPlaneFederation;

beforeAll(async () => {
  federation = await dataPlaneFederation({ automaticPulls: true });
}, 60_000);
afterAll(() => federation.stopAll());

describe('transfer progress on the management API', () => {
  it('shows the bytes held of a pull under way, without a total, and nothing for the provider side', async () => {
    const data = pattern(4_000_000, 7);
    const offering = await offer(federation.uk, 'coalition-open');
    unwrap(await federation.uk.connector.dataPlane.addDataset({ source: pieces(data), offeringId: offering.id, plaintextLength: data.length }));
    const agreementId = await agree(federation, offering);
    const checker = openApiChecker(managementApiDocument());
    const eu = checkedClient(federation.eu.connector.config.publicBaseUrl, checker);
    const token = 'admin-token-for-eu-tests';

    // The provider's answer stalls after ~1.5 MB: the pull is under way, its verified bytes kept.
    const stalled = federation.uk.proxy.holdAfter(1_500_000);
    const started = await eu('POST', '/api/transfers', { token, body: { agreementId } });
    const path = `/api/transfers/${encodeURIComponent((started.body as { id: string }).id)}`;
    await federation.settle();
    await stalled;
    let view = (await eu('GET', path, { token })).body as { state: string; progress?: { bytes: number; total?: number } };
    for (let round = 0; round < 500 && (view.progress?.bytes ?? 0) === 0; round += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      view = (await eu('GET', path, { token })).body as typeof view;
    }
    expect(view.state).toBe('STARTED');
    expect(view.progress?.bytes).toBeGreaterThan(0);
    expect(view.progress?.bytes).toBeLessThan(data.length);
    expect(view.progress).not.toHaveProperty('total');

    const providerPid = (await federation.eu.connector.dsp.transfers.get((started.body as { id: string }).id))?.providerPid as string;
    const uk = checkedClient(federation.uk.connector.config.publicBaseUrl, checker);
    const providerView = (await uk('GET', `/api/transfers/${encodeURIComponent(providerPid)}`, { token: 'admin-token-for-uk-tests' })).body;
    expect(providerView).toMatchObject({ role: 'provider', state: 'STARTED' });
    expect(providerView).not.toHaveProperty('progress');
  }, 60_000);
});
