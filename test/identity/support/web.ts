/**
 * Test fixtures: parties (a DID with a real file kms) whose DID documents are served by an
 * injected fetch, the shared offline document loader, and an in-memory status list repository.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedClock } from '../../../src/clock/index.js';
import { unwrap } from '../../../src/errors/index.js';
import {
  connectorDidDocument,
  createDidResolver,
  createDocumentLoader,
  createKmsSigner,
  didFromUrl,
  didToUrl,
  type DocumentLoader,
  type FetchLike,
  type ProofSigner,
  type StatusListRepository,
  type StatusListState,
  type StatusListSource,
} from '../../../src/identity/index.js';
import { createFileKms, MINIMUM_KDF_PARAMS, type FileKms } from '../../../src/kms/index.js';

/** A tiny web: URL → JSON document, served through an injected fetch. */
export class FakeWeb {
  readonly documents = new Map<string, unknown>();
  readonly requested: string[] = [];
  readonly fetch: FetchLike = async (url) => {
    this.requested.push(url);
    const document = this.documents.get(url);
    if (document === undefined) return new Response('not found', { status: 404 });
    return new Response(JSON.stringify(document), { status: 200, headers: { 'content-type': 'application/json' } });
  };
}

export interface Party {
  did: string;
  baseUrl: string;
  kms: FileKms;
  signer: ProofSigner;
}

export async function createParty(web: FakeWeb, clock: SimulatedClock, baseUrl: string): Promise<Party> {
  const dir = mkdtempSync(join(tmpdir(), 'sov-identity-'));
  const kms = unwrap(await createFileKms({ path: join(dir, 'keystore.sealed'), passphrase: 'test passphrase', clock, kdf: MINIMUM_KDF_PARAMS }));
  const did = unwrap(didFromUrl(baseUrl));
  publish(web, did, kms, baseUrl);
  return { did, baseUrl, kms, signer: createKmsSigner({ kms, did }) };
}

/** (Re)publishes a party's DID document, e.g. after a key rotation. */
export function publish(web: FakeWeb, did: string, kms: FileKms, baseUrl: string): void {
  web.documents.set(unwrap(didToUrl(did)), connectorDidDocument({ did, kms, baseUrl }));
}

export function loaderFor(web: FakeWeb, clock: SimulatedClock, statusLists?: StatusListSource): DocumentLoader {
  const didResolver = createDidResolver({ clock, fetch: web.fetch });
  return createDocumentLoader(statusLists === undefined ? { didResolver } : { didResolver, statusLists });
}

/** Test adapter only: keeps status lists in memory (state is lost with the process). */
export function inMemoryStatusListRepository(): StatusListRepository & { states: Map<string, StatusListState> } {
  const states = new Map<string, StatusListState>();
  return {
    states,
    load: async (listUrl) => structuredClone(states.get(listUrl)),
    save: async (state) => {
      states.set(state.listUrl, structuredClone(state));
    },
  };
}
