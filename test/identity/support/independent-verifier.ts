/**
 * An independent verifier for interop tests: @digitalbazaar/vc used directly with its own
 * suite and a document loader written here (package contexts, the vocab files read from
 * disk, DID documents straight from the fake web), sharing no code with src/identity.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { contexts as credentialsContexts } from '@digitalbazaar/credentials-context';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { contexts as dataIntegrityContexts } from '@digitalbazaar/data-integrity-context';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { contexts as multikeyContexts } from '@digitalbazaar/multikey-context';
import * as vc from '@digitalbazaar/vc';
import { contexts as didContexts } from 'did-context';
import type { FakeWeb } from './web.js';

const vocabDir = new URL('../../../vocab/', import.meta.url);

function vocabContexts(): Map<string, unknown> {
  const map = new Map<string, unknown>();
  for (const file of readdirSync(vocabDir).filter((f) => f.endsWith('.jsonld'))) {
    const json = JSON.parse(readFileSync(new URL(file, vocabDir), 'utf8')) as Record<string, unknown>;
    map.set(String(json['$id']), { '@context': json['@context'] });
  }
  return map;
}

function didDocumentUrl(did: string): string {
  const [host = '', ...path] = did.slice('did:web:'.length).split(':');
  const decoded = decodeURIComponent(host);
  const scheme = decoded.startsWith('127.') || decoded.startsWith('localhost') ? 'http' : 'https';
  return path.length === 0 ? `${scheme}://${decoded}/.well-known/did.json` : `${scheme}://${decoded}/${path.join('/')}/did.json`;
}

export function independentLoader(web: FakeWeb): vc.DocumentLoader {
  const contexts = new Map([...credentialsContexts, ...dataIntegrityContexts, ...multikeyContexts, ...didContexts, ...vocabContexts()]);
  return async (url) => {
    const context = contexts.get(url);
    if (context !== undefined) return { contextUrl: null, documentUrl: url, document: context };
    const [did = '', fragment] = url.split('#');
    const doc = web.documents.get(didDocumentUrl(did)) as { verificationMethod: Array<{ id: string }> } | undefined;
    if (doc === undefined) throw new Error(`independent loader: unknown ${url}`);
    if (fragment === undefined) return { contextUrl: null, documentUrl: url, document: doc };
    const vm = doc.verificationMethod.find((m) => m.id === url);
    return { contextUrl: null, documentUrl: url, document: { '@context': 'https://w3id.org/security/multikey/v1', ...vm } };
  };
}

export function independentSuite(): DataIntegrityProof {
  return new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 });
}
