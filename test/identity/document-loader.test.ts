import jsonld from 'jsonld';
import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../src/clock/index.js';
import {
  createDidResolver,
  createDocumentLoader,
  GX_SUBSET_CONTEXT_V1,
  readVocabularyFiles,
  shippedJsonLdContexts,
  SOV_CONTEXT_V1,
  VC_V2_CONTEXT,
} from '../../src/identity/index.js';
import { createParty, FakeWeb, loaderFor } from './support/web.js';

const DSP_CONTEXT = 'https://w3id.org/dspace/2025/1/context.jsonld';
const SOV = 'https://w3id.org/sovereign-connector/vocab#';
const GX = 'https://registry.lab.gaia-x.eu/development/api/trusted-shape-registry/v1/shapes/jsonld/trustframework#';

describe('offline JSON-LD document loader', () => {
  it('ships the standard contexts and every vocab/ file under its declared URL', () => {
    const urls = [...shippedJsonLdContexts().keys()];
    expect(urls).toEqual(
      expect.arrayContaining([
        VC_V2_CONTEXT,
        'https://w3id.org/security/data-integrity/v2',
        'https://w3id.org/security/multikey/v1',
        'https://www.w3.org/ns/did/v1',
        'https://www.w3.org/ns/odrl.jsonld',
        SOV_CONTEXT_V1,
        GX_SUBSET_CONTEXT_V1,
        DSP_CONTEXT,
        'https://w3id.org/dspace/2025/1/odrl-profile.jsonld',
      ]),
    );
    // The URL declaration is not part of the served document.
    for (const document of readVocabularyFiles().values()) expect(document).not.toHaveProperty('$id');
  });

  it('refuses any other URL with SOV_IDENTITY_UNKNOWN_CONTEXT naming it, without fetching', async () => {
    const web = new FakeWeb();
    const loader = loaderFor(web, new SimulatedClock());
    await expect(loader('https://schema.org/')).rejects.toMatchObject({
      failure: { code: 'SOV_IDENTITY_UNKNOWN_CONTEXT', data: { url: 'https://schema.org/' } },
    });
    expect(web.requested).toEqual([]);
  });

  it('serves a DID document, and a verification method with the Multikey context', async () => {
    const clock = new SimulatedClock();
    const web = new FakeWeb();
    const party = await createParty(web, clock, 'http://127.0.0.1:7500');
    const loader = loaderFor(web, clock);
    expect((await loader(party.did)).document).toMatchObject({ id: party.did });
    expect((await loader(`${party.did}#sig-1`)).document).toMatchObject({
      '@context': 'https://w3id.org/security/multikey/v1',
      id: `${party.did}#sig-1`,
      type: 'Multikey',
      controller: party.did,
      publicKeyMultibase: party.kms.activeSigningKey().publicKeyMultibase,
    });
    await expect(loader(`${party.did}#sig-9`)).rejects.toMatchObject({ failure: { code: 'SOV_IDENTITY_VERIFICATION_METHOD_NOT_FOUND' } });
  });

  it('serves status lists the checker already fetched and explicitly supplied documents', async () => {
    const list = { id: 'https://registrar.example/status/1' };
    const loader = createDocumentLoader({
      didResolver: createDidResolver({ clock: new SimulatedClock(), fetch: new FakeWeb().fetch }),
      statusLists: { cached: (url) => (url === list.id ? list : undefined) },
      extraDocuments: new Map([['https://example.org/extra', { extra: true }]]),
    });
    expect((await loader(list.id)).document).toBe(list);
    expect((await loader('https://example.org/extra')).document).toEqual({ extra: true });
  });

  it('expands our sov: and gx terms to their namespaces (no term falls back to @vocab)', async () => {
    const loader = loaderFor(new FakeWeb(), new SimulatedClock());
    const [expanded] = await jsonld.expand(
      {
        '@context': [VC_V2_CONTEXT, GX_SUBSET_CONTEXT_V1, SOV_CONTEXT_V1],
        id: 'did:web:example.com',
        type: 'gx:LegalParticipant',
        'gx:legalName': 'Statistics Canada',
        jurisdiction: 'CA',
        roles: ['consumer'],
      },
      { documentLoader: loader, safe: true },
    );
    expect(expanded).toMatchObject({
      '@type': [`${GX}LegalParticipant`],
      [`${GX}legalName`]: [{ '@value': 'Statistics Canada' }],
      [`${SOV}jurisdiction`]: [{ '@value': 'CA' }],
      [`${SOV}roles`]: [{ '@value': 'consumer' }],
    });
  });

  it('expands a DSP 2025-1 message with the pinned DSP context and its ODRL profile', async () => {
    const loader = loaderFor(new FakeWeb(), new SimulatedClock());
    const [expanded] = await jsonld.expand(
      {
        '@context': [DSP_CONTEXT],
        '@type': 'ContractRequestMessage',
        consumerPid: 'urn:uuid:c1',
        callbackAddress: 'https://consumer.example/dsp',
        offer: { '@id': 'urn:offer:1', '@type': 'Offer', target: 'urn:dataset:1', permission: [{ action: 'use' }] },
      },
      { documentLoader: loader, safe: true },
    );
    expect(expanded?.['@type']).toEqual(['https://w3id.org/dspace/2025/1/ContractRequestMessage']);
    expect(expanded?.['https://w3id.org/dspace/2025/1/offer']).toMatchObject([
      { '@type': ['http://www.w3.org/ns/odrl/2/Offer'], 'http://www.w3.org/ns/odrl/2/target': [{ '@id': 'urn:dataset:1' }] },
    ]);
  });
});
