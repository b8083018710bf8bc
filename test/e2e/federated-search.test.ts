/**
 * Federated catalogue search across real connectors over loopback (issue 9 "Federated
 * catalogue"): uk crawls eu, ca and au (members of the registrars on its trust list, found
 * through the registrars' member directories), then ca is stopped and au's port is taken by a
 * server answering garbage. uk's search still returns eu's offering, fresh, keeps ca's and au's
 * last good copies marked stale, and names both as unreachable — through the management API
 * (every response checked against the OpenAPI document) and through `sovc catalog search`.
 * An offer eu restricts to other nations never reaches uk's index: eu filtered it for uk.
 */
import { createServer, type Server } from 'node:http';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { register as registerCatalogSearch } from '../../src/cli/commands/catalog-search.js';
import type { CliIo } from '../../src/cli/management-client.js';
import type { CrawlReport, FederatedSearchResult } from '../../src/catalog/federated/index.js';
import { unwrap } from '../../src/errors/index.js';
import type { TargetedOffer } from '../../src/negotiation/index.js';
import { dspOfferOf } from '../../src/offerings/index.js';
import { managementApiDocument } from '../../src/http/openapi/index.js';
import { checkedClient, openApiChecker } from '../http/management/openapi-checker.js';
import { dspFederation, type Federation, type Node } from './dsp-support.js';

const ADMIN = 'admin-token-for-uk-tests';
const RESEARCHER = 'researcher-token-for-uk-tests';

let federation: Federation;
let api: ReturnType<typeof checkedClient>;
let garbage: Server | undefined;
const offers: Record<string, TargetedOffer> = {};

/** Each provider's lowest label (its own classification scheme), releasable to the coalition. */
const OPEN_LABEL: Record<string, string> = { eu: 'PUBLIC', ca: 'UNCLASSIFIED', au: 'OFFICIAL' };

async function offerDataset(provider: Node, template: string, params: Record<string, unknown>, title: string): Promise<TargetedOffer> {
  const offering = unwrap(
    await provider.connector.dsp.offerings.create({
      title,
      description: `Weekly counts published by ${provider.code.toUpperCase()}`,
      policy: { template, params },
      classification: OPEN_LABEL[provider.code],
      personalData: false,
      dataSource: { type: 'file', reference: 'connectors/uk/data/admissions.csv' },
      formats: ['HttpData-PULL'],
    }),
  );
  return { ...dspOfferOf(offering), target: offering.id };
}

/** Takes over `port` with a server answering every request with a 200 that is no catalogue. */
async function garbageServer(port: number): Promise<Server> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ '@context': ['https://w3id.org/dspace/2025/1/context.jsonld'], '@type': 'Catalog', '@id': 42, dataset: 'lots' }));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

beforeAll(async () => {
  federation = await dspFederation(['uk', 'eu', 'ca', 'au']);
  for (const code of ['eu', 'ca', 'au']) offers[code] = await offerDataset(federation.node(code), 'coalition-open', {}, `Hospital admissions ${code.toUpperCase()}`);
  offers['hidden'] = await offerDataset(federation.node('eu'), 'named-nations', { nations: ['ca', 'au'] }, 'Hospital admissions restricted');
  // Warm-up outside the crawl's 5 s per-partner budget: every connector runs in this one process,
  // so first-contact membership checks (JSON-LD, signatures, both directions) share two cores.
  const uk = federation.node('uk').connector;
  for (const code of ['eu', 'ca', 'au']) {
    const did = federation.node(code).connector.did;
    unwrap(await uk.trust.membership.claimsFor(did));
    unwrap(await uk.dsp.fetchCatalog({ did }));
  }
  api = checkedClient(federation.node('uk').connector.config.publicBaseUrl, openApiChecker(managementApiDocument()));
});

afterAll(async () => {
  await new Promise((resolve) => (garbage === undefined ? resolve(undefined) : garbage.close(resolve)));
  await federation.stopAll();
});

async function search(query: string): Promise<FederatedSearchResult> {
  const answer = await api('GET', `/api/catalog/federated/search?${query}`, { token: RESEARCHER });
  expect(answer.status).toBe(200);
  return answer.body as FederatedSearchResult;
}

describe('federated search with a partner down and one answering garbage', () => {
  it('first crawl: every partner found through the registrars, filtered for us by each provider', async () => {
    const refreshed = await api('POST', '/api/catalog/federated/refresh', { token: ADMIN });
    expect(refreshed.status).toBe(200);
    const report = refreshed.body as CrawlReport;
    expect(report.registrars.every((r) => r.reached)).toBe(true);
    expect(report.partners.map((p) => [p.did, p.status]).sort()).toEqual(
      ['eu', 'ca', 'au'].map((code) => [federation.node(code).connector.did, 'ok']).sort(),
    );
    const result = await search('q=hospital+admissions');
    expect(result.items.map((hit) => hit.dataset.id).sort()).toEqual(['eu', 'ca', 'au'].map((code) => offers[code]!.target).sort());
    expect(result.items.map((hit) => hit.dataset.id)).not.toContain(offers['hidden']!.target);
    expect(result.items.find((hit) => hit.partner.nation === 'EU')?.offers[0]).toMatchObject({ id: offers['eu']!['@id'], template: 'coalition-open' });
    expect(result.unreachable).toEqual([]);
  });

  it('after ca stops and au answers garbage: eu still found fresh, ca and au named unreachable, their copies kept as stale', async () => {
    const au = federation.node('au');
    const auPort = au.connector.config.port;
    await federation.node('ca').stop();
    await au.stop();
    garbage = await garbageServer(auPort);

    const report = (await api('POST', '/api/catalog/federated/refresh', { token: ADMIN })).body as CrawlReport;
    const byDid = new Map(report.partners.map((p) => [p.did, p]));
    expect(byDid.get(federation.node('eu').connector.did)?.status).toBe('ok');
    expect(byDid.get(federation.node('ca').connector.did)?.status).toBe('failed');
    expect(byDid.get(au.connector.did)?.status).toBe('failed');

    const result = await search('q=hospital&nation=EU');
    expect(result.items.map((hit) => [hit.dataset.id, hit.stale])).toEqual([[offers['eu']!.target, false]]);
    const everywhere = await search('q=hospital');
    expect(everywhere.unreachable.map((p) => p.did).sort()).toEqual([federation.node('ca').connector.did, au.connector.did].sort());
    expect(everywhere.stale.sort()).toEqual([federation.node('ca').connector.did, au.connector.did].sort());
    // Never replaced by garbage: au's last good copy is the one crawled before.
    expect(everywhere.items.find((hit) => hit.partner.did === au.connector.did)).toMatchObject({ stale: true, dataset: { title: 'Hospital admissions AU' } });
    expect((await api('GET', '/api/catalog/federated/search?pageSize=500', { token: RESEARCHER })).status).toBe(400);
    expect((await api('POST', '/api/catalog/federated/refresh', { token: RESEARCHER })).status).toBe(403);
  });

  it('sovc catalog search prints the hits and names the unreachable partners', async () => {
    const printed: string[] = [];
    const io: CliIo = { env: { SOVC_ADMIN_TOKEN: ADMIN }, out: (text) => printed.push(text) };
    const program = new Command('sovc').exitOverride();
    registerCatalogSearch(program, io);
    const url = federation.node('uk').connector.config.publicBaseUrl;
    await program.parseAsync(['node', 'sovc', 'catalog', 'search', 'hospital', '--url', url, '--nation', 'eu', '--template', 'coalition-open']);
    const table = printed.join('\n');
    expect(table).toMatch(/^TITLE\s+NATION\s+CLASSIFICATION\s+TEMPLATE/);
    expect(table).toContain('Hospital admissions EU');
    expect(table).not.toContain('Hospital admissions CA');
    expect(table).toContain(`unreachable: `);
    expect(table).toContain(federation.node('ca').connector.did);
    expect(table).toContain(federation.node('au').connector.did);
  });
});
