/**
 * The DataAddresses of this data plane. Pull: the one it hands out in a TransferStartMessage (dsp.md §3
 * DataAddress) and reads back on the consumer side. `endpoint` is the container URL;
 * `authorization` holds the transfer token with `authType: bearer`, as DSP peers expect; the
 * `sov:` properties name the key envelope (handover) or the owner's key-release endpoint
 * (owner-held), the container digest and, when a duty transformed the data, the signed
 * anonymisation report (`sov:anonymisationReport`, fetched with the same token). On the wire the token travels in `X-Transfer-Token`
 * because `Authorization` carries the caller's connector token (design.md "Trust model").
 */
import { dataAddress, type DataAddress } from '../../dsp/index.js';
import { fail, ok, type Result } from '../../errors/index.js';
import { didToUrl } from '../../identity/index.js';
import type { KeyRelease } from '../datasets/dataset.js';
import type { PushSink } from './ports.js';

export const HTTP_ENDPOINT_TYPE = 'https://w3id.org/idsa/v4.1/HTTP';
export const TRANSFER_TOKEN_HEADER = 'x-transfer-token';
/** The media type of a container on the wire (pulled answers, pushed requests). */
export const CONTAINER_MEDIA_TYPE = 'application/vnd.sovc.container';

const PROPERTY = {
  authorization: 'authorization',
  authType: 'authType',
  keyRelease: 'sov:keyRelease',
  envelope: 'sov:keyEnvelope',
  keyReleaseEndpoint: 'sov:keyReleaseEndpoint',
  containerDigest: 'sov:containerDigest',
  receipt: 'sov:receiptEndpoint',
  report: 'sov:anonymisationReport',
} as const;

export interface PullAddress {
  containerUrl: string;
  token: string;
  keyRelease: KeyRelease;
  envelopeUrl?: string;
  keyReleaseUrl?: string;
  receiptUrl: string;
  /** The signed anonymisation report of a transformed transfer (token-checked like the envelope). */
  reportUrl?: string;
  /** `blake2b-256:<hex>` as announced by the provider (checked again against the bytes). */
  containerDigest: string;
}

/** The data-plane URLs of one transfer under `base` (e.g. `http://host:port/dataplane`). */
export function transferUrls(base: string, transferId: string) {
  const root = `${base.replace(/\/+$/, '')}/transfers/${encodeURIComponent(transferId)}`;
  return { container: `${root}/container`, envelope: `${root}/envelope`, receipt: `${root}/receipt`, report: `${root}/report`, keyRelease: `${base.replace(/\/+$/, '')}/key-release` };
}

export function pullDataAddress(address: PullAddress): DataAddress {
  return dataAddress({
    endpointType: HTTP_ENDPOINT_TYPE,
    endpoint: address.containerUrl,
    properties: {
      [PROPERTY.authorization]: address.token,
      [PROPERTY.authType]: 'bearer',
      [PROPERTY.keyRelease]: address.keyRelease,
      [PROPERTY.containerDigest]: address.containerDigest,
      [PROPERTY.receipt]: address.receiptUrl,
      ...(address.envelopeUrl === undefined ? {} : { [PROPERTY.envelope]: address.envelopeUrl }),
      ...(address.keyReleaseUrl === undefined ? {} : { [PROPERTY.keyReleaseEndpoint]: address.keyReleaseUrl }),
      ...(address.reportUrl === undefined ? {} : { [PROPERTY.report]: address.reportUrl }),
    },
  });
}

export function readPullAddress(address: DataAddress | undefined): Result<PullAddress> {
  const props = new Map((address?.endpointProperties ?? []).map((p) => [p.name, p.value]));
  const token = props.get(PROPERTY.authorization);
  const keyRelease = props.get(PROPERTY.keyRelease) ?? 'handover';
  const receiptUrl = props.get(PROPERTY.receipt);
  const containerDigest = props.get(PROPERTY.containerDigest);
  if (address === undefined || !/^https?:\/\//.test(address.endpoint) || token === undefined || receiptUrl === undefined || containerDigest === undefined) {
    return fail('SOV_DATAPLANE_DATA_ADDRESS_INVALID', 'the data address needs an http(s) endpoint, an authorization token, a receipt endpoint and the container digest');
  }
  if (keyRelease !== 'handover' && keyRelease !== 'owner-held') return fail('SOV_DATAPLANE_DATA_ADDRESS_INVALID', `unknown key release mode ${keyRelease}`);
  const envelopeUrl = props.get(PROPERTY.envelope);
  const keyReleaseUrl = props.get(PROPERTY.keyReleaseEndpoint);
  const reportUrl = props.get(PROPERTY.report);
  if (reportUrl !== undefined && !/^https?:\/\//.test(reportUrl)) return fail('SOV_DATAPLANE_DATA_ADDRESS_INVALID', 'the anonymisation report endpoint must be an http(s) URL');
  if ((keyRelease === 'handover' && envelopeUrl === undefined) || (keyRelease === 'owner-held' && keyReleaseUrl === undefined)) {
    return fail('SOV_DATAPLANE_DATA_ADDRESS_INVALID', `a ${keyRelease} data address must name its ${keyRelease === 'handover' ? 'key envelope' : 'key-release endpoint'}`);
  }
  return ok({
    containerUrl: address.endpoint,
    token,
    keyRelease,
    receiptUrl,
    containerDigest,
    ...(envelopeUrl === undefined ? {} : { envelopeUrl }),
    ...(keyReleaseUrl === undefined ? {} : { keyReleaseUrl }),
    ...(reportUrl === undefined ? {} : { reportUrl }),
  });
}

/**
 * The push DataAddress a consumer puts in its TransferRequestMessage (dsp.md §3: for push
 * formats the consumer names the sink): `endpoint` is our inbound sink, `authorization` the
 * sink token with `authType: bearer`. On the wire the provider presents the token in
 * `X-Transfer-Token`, its caller token in `Authorization`.
 */
export function sinkDataAddress(sink: PushSink): DataAddress {
  return dataAddress({ endpointType: HTTP_ENDPOINT_TYPE, endpoint: sink.endpoint, properties: { [PROPERTY.authorization]: sink.token, [PROPERTY.authType]: 'bearer' } });
}

/** The URLs of a sink (`endpoint` from its DataAddress): where the push stands, the container, the delivery. */
export function sinkUrls(endpoint: string) {
  return { status: endpoint, container: `${endpoint}/container`, delivery: `${endpoint}/delivery` };
}

/** Sink `sinkId` of the data plane at `base` (e.g. `http://host:port/dataplane`). */
export function sinkEndpoint(base: string, sinkId: string): string {
  return `${base.replace(/\/+$/, '')}/inbound/${encodeURIComponent(sinkId)}`;
}

/** The id of the sink `endpoint` names at the data plane at `base`, if it is one of its sinks. */
export function sinkIdOf(base: string, endpoint: string | undefined): string | undefined {
  const prefix = sinkEndpoint(base, '');
  if (endpoint === undefined || !endpoint.startsWith(prefix)) return undefined;
  const id = endpoint.slice(prefix.length);
  if (!/^[^/?#]+$/.test(id)) return undefined;
  try {
    return decodeURIComponent(id);
  } catch {
    return undefined;
  }
}

/**
 * Reads a consumer's push DataAddress. The sink must be on the consumer's own origin (that of
 * its did:web DID): we push only to the party the agreement names, never to a host it points us at.
 */
export function readSinkAddress(address: DataAddress | undefined, consumerDid: string): Result<PushSink> {
  const token = address?.endpointProperties?.find((p) => p.name === PROPERTY.authorization)?.value;
  if (address === undefined || !/^https?:\/\//.test(address.endpoint) || token === undefined) {
    return fail('SOV_DATAPLANE_DATA_ADDRESS_INVALID', 'a push data address needs an http(s) sink endpoint and its authorization token');
  }
  const own = didToUrl(consumerDid);
  if (!own.ok || !sameOrigin(own.value, address.endpoint)) {
    return fail('SOV_DATAPLANE_DATA_ADDRESS_INVALID', `the sink ${address.endpoint} is not on the origin of ${consumerDid}`);
  }
  return ok({ endpoint: address.endpoint, token });
}

/** Whether two absolute URLs share scheme, host and port. */
export function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}
