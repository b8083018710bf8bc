/**
 * The consumer's side of owner-held key release: to open data received under an owner-held
 * offer, ask its owner for a one-time release (a connector call like any other), check the
 * envelope (issuer, signature, recipient, transfer, agreement, container, expiry) and lend
 * the key, inside our kms, to that single read. Nothing is stored; every release and refusal
 * is recorded in our audit log too.
 */
import { fail, ok, type Failure, type Result } from '../../errors/index.js';
import type { DataKeyLender } from '../container/reader.js';
import { containerDigestRef, type DatasetRecord } from '../datasets/dataset.js';
import type { OwnerKeyRelease } from '../datasets/open-dataset.js';
import { openPeerEnvelope } from './peer-envelope.js';
import type { ConsumerDeps } from './consumer-deps.js';

async function askOwner(deps: ConsumerDeps, record: DatasetRecord, from: NonNullable<DatasetRecord['receivedFrom']>, purpose: string | undefined): Promise<Result<DataKeyLender>> {
  if (from.keyReleaseEndpoint === undefined) return fail('SOV_DATAPLANE_DATA_ADDRESS_INVALID', `dataset ${record.id} names no key-release endpoint`);
  const body = { agreementId: from.agreementId, datasetId: record.offeringId, containerDigest: containerDigestRef(record.containerDigest), ...(purpose === undefined ? {} : { purpose }) };
  const envelope = await deps.remote.postJson(from.keyReleaseEndpoint, from.providerDid, body, {});
  if (!envelope.ok) return envelope;
  const opened = await openPeerEnvelope(deps, envelope.value, from.providerDid, {
    transferId: from.transferId,
    agreementId: from.agreementId,
    datasetId: record.offeringId,
    containerDigest: Buffer.from(record.containerDigest, 'hex'),
  });
  if (!opened.ok) return opened;
  if (opened.value.release !== 'one-time') return fail('SOV_DATAPLANE_ENVELOPE_MALFORMED', 'the owner answered a key release with a handover envelope');
  return ok(opened.value.dek);
}

export function ownerKeyRelease(deps: ConsumerDeps, purpose?: string): OwnerKeyRelease {
  return async (record) => {
    const from = record.receivedFrom;
    if (from === undefined) throw new Error(`dataset ${record.id} was not received: nothing to ask its owner`);
    const lender = await askOwner(deps, record, from, purpose);
    await audit(deps, record, from, lender.ok ? undefined : lender);
    return lender;
  };
}

async function audit(deps: ConsumerDeps, record: DatasetRecord, from: NonNullable<DatasetRecord['receivedFrom']>, refusal: Failure | undefined): Promise<void> {
  const details = { direction: 'inbound', stage: 'key-release', providerDid: from.providerDid, agreementId: from.agreementId, transferId: from.transferId, datasetId: record.offeringId };
  const subjects = [record.id, from.agreementId, from.transferId];
  const digest = containerDigestRef(record.containerDigest);
  if (refusal === undefined) {
    await deps.audit.record({ actor: from.providerDid, type: 'key.released', subjects, digest, details: { ...details, outcome: 'released', keyRelease: 'owner-held' } });
    return;
  }
  await deps.audit.record({ actor: from.providerDid, type: 'policy.decision', subjects, digest, details: { ...details, outcome: 'refused-by-owner', code: refusal.code, detail: refusal.detail.slice(0, 2048) } });
}
