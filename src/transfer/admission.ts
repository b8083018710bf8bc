/**
 * Whether the provider accepts a TransferRequestMessage (issue 6: tied to a finalized
 * agreement; refused with the reason when the consumer does not hold it, the format is not
 * offered, a push request lacks its sink, or the agreement's policy no longer holds).
 */
import { isoTime } from '../clock/index.js';
import { jsonDigest, type OdrlAgreement, type TransferRequestMessage, type VerifiedCaller } from '../dsp/index.js';
import { fail, ok, type Result } from '../errors/index.js';
import type { TransferProcess } from './entity.js';
import type { TransferDeps } from './ports.js';
import { isPushFormat } from './table.js';

async function heldAgreement(deps: TransferDeps, caller: VerifiedCaller, agreementId: string): Promise<Result<OdrlAgreement>> {
  const negotiation = await deps.negotiations.findByAgreementId(agreementId);
  const held = negotiation?.role === 'provider' && negotiation.state === 'FINALIZED' && negotiation.counterpartyDid === caller.did;
  if (!held || !negotiation.agreement) {
    const why = !negotiation || negotiation.counterpartyDid !== caller.did ? 'is not held by the caller' : `is ${negotiation.state ?? 'pending'}, not FINALIZED`;
    return fail('SOV_TRANSFER_AGREEMENT_NOT_HELD', `Agreement ${agreementId} ${why}`, { agreementId });
  }
  return ok(negotiation.agreement);
}

async function checkFormat(deps: TransferDeps, message: TransferRequestMessage, datasetId: string): Promise<Result<void>> {
  const formats = await deps.formats.formatsOf(datasetId);
  if (!formats.includes(message.format)) {
    return fail('SOV_TRANSFER_FORMAT_UNSUPPORTED', `Dataset ${datasetId} is not distributed as ${message.format}`, {
      format: message.format,
      supported: [...formats],
    });
  }
  if (isPushFormat(message.format) && !message.dataAddress) {
    return fail('SOV_TRANSFER_DATA_ADDRESS_REQUIRED', `A push transfer (${message.format}) needs the consumer's dataAddress`, { format: message.format });
  }
  return ok(undefined);
}

/** The new provider-side record, or the reason the request is refused. */
export async function admitRequest(deps: TransferDeps, caller: VerifiedCaller, message: TransferRequestMessage): Promise<Result<TransferProcess>> {
  const agreement = await heldAgreement(deps, caller, message.agreementId);
  if (!agreement.ok) return agreement;
  const datasetId = agreement.value.target;
  const format = await checkFormat(deps, message, datasetId);
  if (!format.ok) return format;
  const now = isoTime(deps.clock);
  const transfersSoFar = await deps.repository.countByAgreement(message.agreementId);
  const context = { stage: 'transfer' as const, target: datasetId, now, agreementId: message.agreementId, transfersSoFar };
  const decision = await deps.policy.decide(agreement.value, caller, context);
  const reportDigest = jsonDigest(decision.report ?? null);
  if (!decision.permitted) {
    const words = decision.reasons.map((r) => r.message).join('; ');
    return fail('SOV_TRANSFER_POLICY_REFUSED', `Agreement ${message.agreementId} no longer permits a transfer: ${words}`, {
      reasons: decision.reasons,
      reportDigest,
    });
  }
  const id = deps.ids.urn();
  return ok({
    id,
    role: 'provider',
    providerPid: id,
    consumerPid: message.consumerPid,
    counterpartyDid: caller.did,
    counterpartyAddress: message.callbackAddress,
    agreementId: message.agreementId,
    datasetId,
    format: message.format,
    ...(message.dataAddress ? { dataAddress: message.dataAddress } : {}),
    decision: { permitted: true, reasons: [], report: decision.report, reportDigest, decidedAt: now },
    received: {},
    createdAt: now,
    updatedAt: now,
    version: 0,
  });
}
