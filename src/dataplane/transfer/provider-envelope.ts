/**
 * Issuing key envelopes on the provider: the DEK sealed (inside kms) to the consumer's current
 * X25519 keyAgreement key from its DID document, bound to transfer, agreement, recipient,
 * container digest and expiry (docs/format.md §5). A destroyed DEK means the dataset was
 * crypto-shredded: no envelope can ever be issued again.
 */
import { fail, type Result } from '../../errors/index.js';
import { issueKeyEnvelope } from '../envelope/issue.js';
import type { KeyEnvelope } from '../envelope/schema.js';
import type { ProviderDeps } from './provider-deps.js';
import type { OutboundTransfer } from './ports.js';

export async function issueEnvelopeFor(
  deps: ProviderDeps,
  record: OutboundTransfer,
  release: KeyEnvelope['release'],
  ttlMs: number,
): Promise<Result<KeyEnvelope>> {
  const recipient = await deps.peers.agreementKey(record.consumerDid);
  if (!recipient.ok) return recipient;
  const envelope = await issueKeyEnvelope({
    kms: deps.kms,
    clock: deps.clock,
    issuerDid: deps.self.did,
    dataKeyId: record.dataKeyId,
    recipient: { did: record.consumerDid, ...recipient.value },
    transferId: record.transferId,
    agreementId: record.agreementId,
    datasetId: record.offeringId,
    containerDigest: Buffer.from(record.containerDigest, 'hex'),
    release,
    ttlMs,
  });
  if (!envelope.ok && envelope.code === 'SOV_KMS_KEY_DESTROYED') {
    return fail('SOV_DATAPLANE_DATASET_SHREDDED', `the key of dataset ${record.datasetId} was destroyed (crypto-shredded): it can never be released again`);
  }
  return envelope;
}

export function issueHandoverEnvelope(deps: ProviderDeps, record: OutboundTransfer, ttlMs: number): Promise<Result<KeyEnvelope>> {
  return issueEnvelopeFor(deps, record, 'handover', ttlMs);
}
