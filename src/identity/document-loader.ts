/**
 * The offline JSON-LD document loader every VC/VP operation uses (identity.md §2): bundled
 * contexts, DIDs through our did:web resolver (the whole document for `did`, the verification
 * method with the Multikey context for `did#frag`), status list credentials the verifier has
 * already fetched, and explicitly supplied documents. Anything else is refused with
 * SOV_IDENTITY_UNKNOWN_CONTEXT naming the URL and is never fetched: a remotely fetched context
 * could change what a signature means.
 */
import type { Resolvable } from 'did-resolver';
import { fail } from '../errors/index.js';
import { findVerificationMethod, MULTIKEY_CONTEXT_V1 } from './did-document.js';
import { resolveDidDocument } from './did-web-resolver.js';
import { DocumentLoadError } from './loader-errors.js';

export interface RemoteDocument {
  contextUrl: null;
  documentUrl: string;
  document: unknown;
}

export type DocumentLoader = (url: string) => Promise<RemoteDocument>;

/** Status list credentials already fetched (and cached) by the status checker. */
export interface StatusListSource {
  cached(url: string): Record<string, unknown> | undefined;
}

export interface DocumentLoaderOptions {
  /** Offline contexts by URL (standard contexts and the vocab/ files). */
  contexts: ReadonlyMap<string, unknown>;
  didResolver: Resolvable;
  statusLists?: StatusListSource;
  extraDocuments?: ReadonlyMap<string, unknown>;
}

function remote(url: string, document: unknown): RemoteDocument {
  return { contextUrl: null, documentUrl: url, document };
}

async function loadDid(didUrl: string, resolver: Resolvable): Promise<RemoteDocument> {
  const hash = didUrl.indexOf('#');
  const did = hash === -1 ? didUrl : didUrl.slice(0, hash);
  const resolved = await resolveDidDocument(resolver, did);
  if (!resolved.ok) throw new DocumentLoadError(resolved);
  if (hash === -1) return remote(didUrl, resolved.value);
  const method = findVerificationMethod(resolved.value, didUrl);
  if (method === undefined) {
    throw new DocumentLoadError(fail('SOV_IDENTITY_VERIFICATION_METHOD_NOT_FOUND', `${did} has no verification method ${didUrl}`, { didUrl }));
  }
  return remote(didUrl, { '@context': MULTIKEY_CONTEXT_V1, ...method });
}

export function createOfflineDocumentLoader(options: DocumentLoaderOptions): DocumentLoader {
  return async (url) => {
    const context = options.contexts.get(url);
    if (context !== undefined) return remote(url, context);
    if (url.startsWith('did:')) return loadDid(url, options.didResolver);
    const statusList = options.statusLists?.cached(url);
    if (statusList !== undefined) return remote(url, statusList);
    const extra = options.extraDocuments?.get(url);
    if (extra !== undefined) return remote(url, extra);
    throw new DocumentLoadError(
      fail('SOV_IDENTITY_UNKNOWN_CONTEXT', `JSON-LD document ${url} is not shipped with this connector and is never fetched`, { url }),
    );
  };
}
