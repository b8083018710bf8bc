/**
 * This connector as a DSP client of another one: find its DSP 2025-1 base by version
 * discovery at the root of its did:web host (dsp.md §2: stop if it offers no version we speak)
 * and fetch its catalogue page by page with our caller token (§4 "Catalog", Link rel="next").
 */
import type { Catalog } from '../dsp/index.js';
import { DSP_VERSION, catalogRequestMessage, dspUrl, validateDspMessage } from '../dsp/index.js';
import { fail, ok, type Result } from '../errors/index.js';
import { didFromUrl, didToUrl, fetchJsonBounded, type FetchLike } from '../identity/index.js';
import type { ConnectorClient } from '../trust/index.js';

export interface PeerAddress {
  did: string;
  /** Absolute DSP 2025-1 base URL. */
  dspBase: string;
}

/** A partner by DID, by root URL, or both. */
export interface PeerTarget {
  did?: string;
  url?: string;
}

export interface RemoteDspOptions {
  client: Pick<ConnectorClient, 'post'>;
  fetch: FetchLike;
}

function rootOf(target: PeerTarget): Result<{ did: string; root: string }> {
  if (target.url !== undefined) {
    const root = new URL(target.url).origin;
    const did = target.did === undefined ? didFromUrl(root) : ok(target.did);
    return did.ok ? ok({ did: did.value, root }) : did;
  }
  if (target.did === undefined) return fail('SOV_BAD_REQUEST', 'Name the partner by its DID or its URL');
  const document = didToUrl(target.did);
  return document.ok ? ok({ did: target.did, root: new URL(document.value).origin }) : document;
}

export function remoteDsp(options: RemoteDspOptions) {
  const known = new Map<string, PeerAddress>();

  async function discover(target: PeerTarget): Promise<Result<PeerAddress>> {
    const root = rootOf(target);
    if (!root.ok) return root;
    const cached = known.get(root.value.root);
    if (cached !== undefined) return ok(cached);
    const document = await fetchJsonBounded(`${root.value.root}/.well-known/dspace-version`, {
      fetch: options.fetch,
      timeoutMs: 10_000,
      maxBytes: 64 * 1024,
      unavailableCode: 'SOV_UPSTREAM_UNAVAILABLE',
      invalidCode: 'SOV_DSP_PEER_ANSWER_INVALID',
      tooLargeCode: 'SOV_DSP_PEER_ANSWER_INVALID',
    });
    if (!document.ok) return document;
    const versions = validateDspMessage('VersionResponse', document.value);
    if (!versions.ok) return fail('SOV_DSP_PEER_ANSWER_INVALID', `${root.value.root} serves an invalid version document: ${versions.detail}`);
    const entry = versions.value.protocolVersions.find((v) => v.version === DSP_VERSION);
    if (entry === undefined) return fail('SOV_DSP_VERSION_UNSUPPORTED', `${root.value.root} offers no DSP ${DSP_VERSION} endpoint`, { root: root.value.root });
    const peer = { did: root.value.did, dspBase: dspUrl(root.value.root, entry.path) };
    known.set(root.value.root, peer);
    return ok(peer);
  }

  /** One catalogue page; `next` is the Link rel="next" URL of the previous page. */
  async function fetchCatalog(peer: PeerAddress, next?: string): Promise<Result<{ catalog: Catalog; next?: string }>> {
    const url = next ?? dspUrl(peer.dspBase, 'catalog/request');
    const answer = await options.client.post(url, peer.did, catalogRequestMessage());
    if (!answer.ok) return answer;
    const { status, body, headers } = answer.value;
    if (status !== 200) return fail('SOV_DSP_PEER_REFUSED', `${url} answered ${status}`, { status, answer: body ?? null });
    const catalog = validateDspMessage('Catalog', body);
    if (!catalog.ok) return fail('SOV_DSP_PEER_ANSWER_INVALID', `${url} did not answer with a Catalog: ${catalog.detail}`);
    const link = /<([^>]+)>\s*;\s*rel="?next"?/.exec(headers.get('link') ?? '');
    return ok(link?.[1] === undefined ? { catalog: catalog.value } : { catalog: catalog.value, next: link[1] });
  }

  return { discover, fetchCatalog };
}
