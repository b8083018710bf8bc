/**
 * did:web resolution through `did-resolver` (identity.md §3): a `DIDResolver` for the `web`
 * method that maps the DID to its URL (http only on loopback), fetches with a timeout and a
 * size cap, validates the document, requires `id` = the DID (did:web spec §3.2.1, step 5) and
 * keeps successful results in a TTL cache driven by the injected clock.
 */
import { Resolver, type DIDDocument, type DIDResolutionResult, type DIDResolver, type Resolvable } from 'did-resolver';
import type { Clock } from '../clock/index.js';
import { fail, ok, type Failure, type Result } from '../errors/index.js';
import { fetchJsonBounded, type FetchLike } from './bounded-fetch.js';
import { didDocumentSchema, type DidDocument } from './did-document.js';
import { didToUrl } from './did-web.js';

export interface DidWebResolverOptions {
  clock: Clock;
  /** Default: the global `fetch`. */
  fetch?: FetchLike;
  /** Default 5 s. */
  timeoutMs?: number;
  /** Default 64 KiB: a DID document with a handful of keys is a few KiB. */
  maxBytes?: number;
  /** How long a resolved document is reused; default 5 minutes. */
  cacheTtlMs?: number;
  /** Oldest entries are dropped beyond this; default 1000. */
  maxCacheEntries?: number;
}

/** Documents already validated (cached ones come back as the same object on every load). */
const validated = new WeakMap<object, DidDocument>();

interface CacheEntry {
  document: DidDocument;
  expiresAt: number;
}

function failedResolution(failure: Failure): DIDResolutionResult {
  const error = failure.code === 'SOV_IDENTITY_INVALID_DID' ? 'invalidDid' : 'notFound';
  return { didResolutionMetadata: { error, message: failure.detail, failure }, didDocument: null, didDocumentMetadata: {} };
}

function resolved(document: DidDocument): DIDResolutionResult {
  // Our schema-validated document is a DID Core document; did-resolver's type is narrower.
  return { didResolutionMetadata: { contentType: 'application/did+json' }, didDocument: document as unknown as DIDDocument, didDocumentMetadata: {} };
}

async function fetchDidDocument(did: string, options: DidWebResolverOptions): Promise<Result<DidDocument>> {
  const url = didToUrl(did);
  if (!url.ok) return url;
  const body = await fetchJsonBounded(url.value, {
    fetch: options.fetch ?? ((u, init) => fetch(u, init)),
    timeoutMs: options.timeoutMs ?? 5_000,
    maxBytes: options.maxBytes ?? 64 * 1024,
    unavailableCode: 'SOV_IDENTITY_DID_UNRESOLVABLE',
    invalidCode: 'SOV_IDENTITY_DID_DOCUMENT_INVALID',
    tooLargeCode: 'SOV_IDENTITY_DID_DOCUMENT_TOO_LARGE',
  });
  if (!body.ok) return body;
  const parsed = didDocumentSchema.safeParse(body.value);
  if (!parsed.success) {
    return fail('SOV_IDENTITY_DID_DOCUMENT_INVALID', `DID document at ${url.value} is malformed: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  }
  if (parsed.data.id !== did) {
    return fail('SOV_IDENTITY_DID_DOCUMENT_INVALID', `DID document at ${url.value} has id "${parsed.data.id}", expected "${did}"`);
  }
  return ok(parsed.data);
}

/** The `web` entry of a did-resolver registry, with its own TTL cache. */
export function createDidWebResolver(options: DidWebResolverOptions): DIDResolver {
  const cache = new Map<string, CacheEntry>();
  const ttl = options.cacheTtlMs ?? 5 * 60_000;
  const maxEntries = options.maxCacheEntries ?? 1000;
  return async (did) => {
    const now = options.clock.now();
    const cached = cache.get(did);
    if (cached !== undefined && cached.expiresAt > now) {
      return resolved(cached.document);
    }
    cache.delete(did);
    const result = await fetchDidDocument(did, options);
    if (!result.ok) return failedResolution(result);
    cache.set(did, { document: result.value, expiresAt: now + ttl });
    validated.set(result.value, result.value);
    if (cache.size > maxEntries) cache.delete(cache.keys().next().value as string);
    return resolved(result.value);
  };
}

/** A did-resolver `Resolver` that knows did:web only; caching is ours (TTL), not the library's. */
export function createDidResolver(options: DidWebResolverOptions): Resolvable {
  return new Resolver({ web: createDidWebResolver(options) }, { cache: false });
}

/** Resolves `did` (no fragment) to a validated DID document, or the reason it could not be. */
export async function resolveDidDocument(resolver: Resolvable, did: string): Promise<Result<DidDocument>> {
  const result = await resolver.resolve(did);
  const failure = result.didResolutionMetadata['failure'] as Failure | undefined;
  if (failure !== undefined) return failure;
  if (result.didDocument === null || result.didResolutionMetadata.error !== undefined) {
    const reason = String(result.didResolutionMetadata['message'] ?? result.didResolutionMetadata.error ?? 'no document');
    const code = result.didResolutionMetadata.error === 'invalidDid' || result.didResolutionMetadata.error === 'unsupportedDidMethod'
      ? 'SOV_IDENTITY_INVALID_DID'
      : 'SOV_IDENTITY_DID_UNRESOLVABLE';
    return fail(code, `cannot resolve ${did}: ${reason}`);
  }
  const known = validated.get(result.didDocument);
  if (known !== undefined) return ok(known);
  const parsed = didDocumentSchema.safeParse(result.didDocument);
  if (!parsed.success) return fail('SOV_IDENTITY_DID_DOCUMENT_INVALID', `DID document of ${did} is malformed`);
  validated.set(result.didDocument, parsed.data);
  return ok(parsed.data);
}
