/**
 * Owner-held key release (issue 7 "Two key-release modes"): each time a consumer opens data
 * it received under an owner-held offer, its connector asks here. The owner re-evaluates the
 * agreement NOW — finalized, not revoked, policy (time window, count of uses = releases so
 * far, purpose, jurisdiction profile) with the consumer's current membership claims — and only
 * then seals the data key to the consumer for a single use. Every release and every refusal is
 * recorded (ledger + audit log).
 */
import { isoTime } from '../../clock/index.js';
import { fail, ok, type Failure, type Result } from '../../errors/index.js';
import type { KeyEnvelope } from '../envelope/schema.js';
import { checkAgreement } from './agreement-gate.js';
import { recordKeyReleased, recordRefusal } from './evidence.js';
import { issueEnvelopeFor } from './provider-envelope.js';
import { DEFAULT_RELEASE_TTL_MS, type ProviderDeps } from './provider-deps.js';
import type { OutboundTransfer } from './ports.js';

export interface KeyReleaseRequest {
  agreementId: string;
  /** The offering (DCAT dataset) id in the container header. */
  datasetId: string;
  /** `blake2b-256:<hex>` of the container the consumer holds. */
  containerDigest: string;
  purpose?: string;
}

async function deliveredRecord(deps: ProviderDeps, callerDid: string, request: KeyReleaseRequest): Promise<Result<OutboundTransfer>> {
  const digest = /^blake2b-256:([0-9a-f]{64})$/.exec(request.containerDigest)?.[1];
  const record = digest === undefined ? undefined : await deps.records.findDelivered(request.agreementId, callerDid, digest);
  if (record === undefined || record.offeringId !== request.datasetId) {
    return fail('SOV_DATAPLANE_TRANSFER_NOT_FOUND', `no container ${request.containerDigest} of ${request.datasetId} was delivered to ${callerDid} under agreement ${request.agreementId}`);
  }
  if (record.keyRelease !== 'owner-held') return fail('SOV_DATAPLANE_NOT_OWNER_HELD', `transfer ${record.transferId} handed its key over: there is nothing to release`);
  if (record.status === 'terminated') return fail('SOV_DATAPLANE_TRANSFER_NOT_ACTIVE', `transfer ${record.transferId} was terminated`);
  const dataset = await deps.datasets.get(record.datasetId);
  if (dataset?.status !== 'ready') return fail('SOV_DATAPLANE_DATASET_SHREDDED', `dataset ${record.datasetId} was crypto-shredded: its key can never be released`);
  return ok(record);
}

export async function releaseKey(deps: ProviderDeps, callerDid: string, request: KeyReleaseRequest): Promise<Result<KeyEnvelope>> {
  const record = await deliveredRecord(deps, callerDid, request);
  if (!record.ok) return refused(deps, callerDid, request, undefined, record);
  const uses = await deps.records.releasesSoFar(request.agreementId);
  const gate = await checkAgreement(deps, { agreementId: request.agreementId, consumerDid: callerDid, uses, ...(request.purpose === undefined ? {} : { purpose: request.purpose }) });
  if (!gate.ok) return refused(deps, callerDid, request, record.value, gate);
  const envelope = await issueEnvelopeFor(deps, record.value, 'one-time', deps.releaseTtlMs ?? DEFAULT_RELEASE_TTL_MS);
  if (!envelope.ok) return refused(deps, callerDid, request, record.value, envelope);
  await deps.records.recordRelease({ ...event(deps, callerDid, request, record.value.transferId), outcome: 'released' });
  await recordKeyReleased(deps, { ...record.value, policyDecisionDigest: gate.value.reportDigest }, 'key.released');
  return envelope;
}

function event(deps: ProviderDeps, callerDid: string, request: KeyReleaseRequest, transferId: string) {
  return { agreementId: request.agreementId, transferId, consumerDid: callerDid, at: isoTime(deps.clock), ...(request.purpose === undefined ? {} : { purpose: request.purpose }) };
}

async function refused(deps: ProviderDeps, callerDid: string, request: KeyReleaseRequest, record: OutboundTransfer | undefined, failure: Failure): Promise<Failure> {
  await deps.records.recordRelease({ ...event(deps, callerDid, request, record?.transferId ?? ''), outcome: 'refused', code: failure.code });
  await recordRefusal(deps, { stage: 'key-release', consumerDid: callerDid, offeringId: request.datasetId, failure, report: failure.data?.['report'] });
  return failure;
}
