/**
 * What the provider's data-plane endpoints do once the caller's connector token is verified
 * (issue 7 "Transfers"): the transfer token must be ours, for this transfer and this caller,
 * unexpired and the current one; the transfer must be active (not suspended, terminated or
 * completed) and its agreement still finalized and not revoked. Then: the stored ciphertext as
 * it is, from a chunk index for resume; the handover envelope (each delivery audited as a key
 * leaving); and the consumer's signed receipt, checked against what was sent and audited.
 */
import { isoTime } from '../../clock/index.js';
import { fail, ok, type Result } from '../../errors/index.js';
import { readFromChunk } from '../container/resume.js';
import { containerDigestRef } from '../datasets/dataset.js';
import type { KeyEnvelope } from '../envelope/schema.js';
import { agreementStanding } from './agreement-gate.js';
import { recordKeyReleased, recordReceipt } from './evidence.js';
import type { ProviderDeps } from './provider-deps.js';
import type { OutboundTransfer } from './ports.js';
import { verifyTransferToken } from './transfer-token.js';

export interface DataPlaneCall {
  transferId: string;
  /** The transfer token presented (X-Transfer-Token), if any. */
  token: string | undefined;
  /** The DID the caller's connector token proved. */
  callerDid: string;
}

export async function authorizeCall(deps: ProviderDeps, call: DataPlaneCall): Promise<Result<OutboundTransfer>> {
  if (call.token === undefined || call.token === '') return fail('SOV_DATAPLANE_TOKEN_MISSING', 'data-plane calls need the transfer token of the data address (X-Transfer-Token)');
  const record = await deps.records.get(call.transferId);
  if (record === undefined) return fail('SOV_DATAPLANE_TRANSFER_NOT_FOUND', `no data-plane transfer ${call.transferId}`);
  const claims = verifyTransferToken(call.token, { crypto: deps.crypto, keys: deps.kms.verificationKeys(), clock: deps.clock, issuerDid: deps.self.did, transferId: call.transferId, callerDid: call.callerDid });
  if (!claims.ok) return claims;
  if (claims.value.jti !== record.token.jti) return fail('SOV_DATAPLANE_TOKEN_REPLAYED', `the transfer token ${claims.value.jti} was superseded by a newer one`);
  if (record.status === 'completed') return fail('SOV_DATAPLANE_TOKEN_REPLAYED', `transfer ${call.transferId} is completed: its token is spent`);
  return stillReleasing(deps, record);
}

/** The transfer is active (not suspended, terminated or completed) and its agreement still standing: data and keys may leave. */
export async function stillReleasing(deps: ProviderDeps, record: OutboundTransfer): Promise<Result<OutboundTransfer>> {
  const state = (await deps.transfers.get(record.transferId))?.state;
  if (record.status !== 'active' || state === 'SUSPENDED' || state === 'TERMINATED' || state === 'COMPLETED') {
    return fail('SOV_DATAPLANE_TRANSFER_NOT_ACTIVE', `transfer ${record.transferId} is ${state ?? record.status}`, { state: state ?? record.status });
  }
  const standing = await agreementStanding(deps, record.agreementId, record.consumerDid);
  return standing.ok ? ok(record) : standing;
}

/** The stored container from chunk `fromChunk` (the whole of it when undefined). */
export async function serveContainer(deps: ProviderDeps, call: DataPlaneCall, fromChunk: number | undefined): Promise<Result<AsyncIterable<Uint8Array>>> {
  const record = await authorizeCall(deps, call);
  if (!record.ok) return record;
  return readFromChunk(deps.store, record.value.containerId, fromChunk);
}

export async function serveEnvelope(deps: ProviderDeps, call: DataPlaneCall): Promise<Result<KeyEnvelope>> {
  const record = await authorizeCall(deps, call);
  if (!record.ok) return record;
  if (record.value.envelope === undefined) {
    return fail('SOV_DATAPLANE_OWNER_HELD', `the key of transfer ${call.transferId} stays with its owner: ask for a one-time release at each use`);
  }
  await recordKeyReleased(deps, record.value, 'key.released');
  return ok(record.value.envelope);
}

export async function acceptReceipt(deps: ProviderDeps, call: DataPlaneCall, receipt: unknown): Promise<Result<OutboundTransfer>> {
  const record = await authorizeCall(deps, call);
  if (!record.ok) return record;
  const verified = await deps.verifyReceipt(receipt);
  if (!verified.ok) return verified;
  const r = verified.value;
  const expected = { transferId: record.value.transferId, agreementId: record.value.agreementId, consumerDid: call.callerDid, providerDid: deps.self.did, containerDigest: containerDigestRef(record.value.containerDigest) };
  const wrong = (Object.keys(expected) as Array<keyof typeof expected>).filter((field) => r[field] !== expected[field]);
  if (wrong.length > 0) return fail('SOV_COMPLIANCE_RECEIPT_INVALID', `the receipt differs from what was sent on ${wrong.join(', ')}`, { fields: wrong });
  const stored: OutboundTransfer = { ...record.value, receipt: r, updatedAt: isoTime(deps.clock) };
  await deps.records.save(stored);
  await recordReceipt(deps, r);
  return ok(stored);
}
