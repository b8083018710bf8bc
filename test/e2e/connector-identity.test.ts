/**
 * Issue 3 "done when": a newcomer's connector serves a DID document that resolves through
 * did:web over loopback, and its self-description VP verifies with @digitalbazaar/vc used
 * directly (its own suite and a loader written here), not with our wrapper.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { contexts as credentialsContexts } from '@digitalbazaar/credentials-context';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { contexts as dataIntegrityContexts } from '@digitalbazaar/data-integrity-context';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { contexts as multikeyContexts } from '@digitalbazaar/multikey-context';
import * as vc from '@digitalbazaar/vc';
import { contexts as didContexts } from 'did-context';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector } from '../../src/connector/index.js';
import { createDidResolver } from '../../src/identity/index.js';
import { systemClock } from '../../src/clock/index.js';
import { unwrap } from '../../src/errors/index.js';
import { testConnector } from '../support/partners.js';

const vocabDir = new URL('../../vocab/', import.meta.url);

/** Contexts from the packages and the vocab files as published, DID documents over plain HTTP. */
function independentLoader(): vc.DocumentLoader {
  const contexts = new Map<string, unknown>([...credentialsContexts, ...dataIntegrityContexts, ...multikeyContexts, ...didContexts]);
  for (const file of readdirSync(vocabDir).filter((f) => f.endsWith('.jsonld'))) {
    const json = JSON.parse(readFileSync(new URL(file, vocabDir), 'utf8')) as Record<string, unknown>;
    contexts.set(String(json['$id']), { '@context': json['@context'] });
  }
  return async (url) => {
    const context = contexts.get(url);
    if (context !== undefined) return { contextUrl: null, documentUrl: url, document: context };
    const [did = '', fragment] = url.split('#');
    const host = decodeURIComponent(did.slice('did:web:'.length));
    const doc = (await (await fetch(`http://${host}/.well-known/did.json`)).json()) as { verificationMethod: Array<{ id: string }> };
    if (fragment === undefined) return { contextUrl: null, documentUrl: url, document: doc };
    const method = doc.verificationMethod.find((m) => m.id === url);
    return { contextUrl: null, documentUrl: url, document: { '@context': 'https://w3id.org/security/multikey/v1', ...method } };
  };
}

describe('a started connector', () => {
  let connector: Connector;
  let base: string;

  beforeAll(async () => {
    connector = await testConnector('uk');
    unwrap(
      await connector.dsp.offerings.create({
        title: 'Hospital admissions 2024',
        description: 'Weekly admissions by region',
        keywords: ['health'],
        policy: { template: 'coalition-open', params: {} },
        classification: 'OFFICIAL',
        personalData: false,
        dataSource: { type: 'file', reference: 'connectors/uk/data/admissions.csv' },
      }),
    );
    const bound = await connector.start();
    if (!bound.ok) throw new Error(bound.detail);
    base = bound.value.url;
  });
  afterAll(() => connector.stop());

  it('serves a DID document that did:web resolution over loopback returns', async () => {
    const resolver = createDidResolver({ clock: systemClock });
    const resolved = await resolver.resolve(connector.did);
    expect(resolved.didResolutionMetadata.error).toBeUndefined();
    const doc = resolved.didDocument;
    expect(doc?.id).toBe(connector.did);
    expect(doc?.keyAgreement).toHaveLength(1);
    expect(doc?.service?.map((s) => s.type)).toEqual(expect.arrayContaining(['DataService', 'CredentialService']));
  });

  it('serves a self-description VP that an independent verifier accepts', async () => {
    const vp = (await (await fetch(`${base}/.well-known/participant`)).json()) as { proof: { challenge: string; domain: string }; verifiableCredential: Array<{ credentialSubject: Record<string, unknown> }> };
    const result = await vc.verify({
      presentation: vp,
      challenge: vp.proof.challenge,
      domain: vp.proof.domain,
      suite: new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 }),
      documentLoader: independentLoader(),
    });
    expect(result.error).toBeUndefined();
    expect(result.verified).toBe(true);
    expect(vp.proof.domain).toBe(connector.did);
    expect(vp.verifiableCredential[0]?.credentialSubject['gx:legalName']).toBe('UK Health Data Agency (demo)');
    expect(vp.verifiableCredential.map((c) => c.credentialSubject['type'])).toEqual(['gx:LegalParticipant', 'gx:ServiceOffering']);
    expect(vp.verifiableCredential[1]?.credentialSubject['name']).toBe('Hospital admissions 2024');
    const issued = (await connector.audit.tail(20)).filter((e) => e.type === 'credential.issued');
    expect(issued.map((e) => e.subjects[0])).toEqual(vp.verifiableCredential.map((c) => (c as unknown as { id: string }).id));
  });

  it('answers health with its DID', async () => {
    const health = (await (await fetch(`${base}/health`)).json()) as { status: string; did: string };
    expect(health).toMatchObject({ status: 'ok', did: connector.did });
  });
});
