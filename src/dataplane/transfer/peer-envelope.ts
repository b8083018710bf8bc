/**
 * Opening a key envelope a provider sent us, on the handover pull and on every owner-held
 * release alike: the envelope must name a signing key of the provider we dealt with
 * (docs/format.md §5), verify under that key as its DID document lists it, and be bound to
 * the transfer, agreement, recipient, dataset and container we expect.
 */
import { fail, type Result } from '../../errors/index.js';
import { openKeyEnvelope, type OpenedEnvelope, type OpenEnvelopeOptions } from '../envelope/open.js';
import type { ConsumerDeps } from './consumer-deps.js';

export async function openPeerEnvelope(
  deps: ConsumerDeps,
  envelope: unknown,
  providerDid: string,
  expected: Omit<OpenEnvelopeOptions['expected'], 'recipientDid' | 'issuerDid'>,
  label?: string,
): Promise<Result<OpenedEnvelope>> {
  const issuerKeyId = (envelope as { issuerKeyId?: unknown } | undefined)?.issuerKeyId;
  if (typeof issuerKeyId !== 'string' || !issuerKeyId.startsWith(`${providerDid}#`)) {
    return fail('SOV_DATAPLANE_ENVELOPE_WRONG_ISSUER', `the envelope names key ${String(issuerKeyId)}, not a key of ${providerDid}`);
  }
  const issuerKey = await deps.peers.signingKey(issuerKeyId);
  if (!issuerKey.ok) return issuerKey;
  return openKeyEnvelope(envelope, {
    kms: deps.kms,
    crypto: deps.crypto,
    clock: deps.clock,
    issuerPublicKey: issuerKey.value,
    expected: { ...expected, recipientDid: deps.self.did, issuerDid: providerDid },
    ...(label === undefined ? {} : { label }),
  });
}
