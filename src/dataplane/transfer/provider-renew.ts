/**
 * Fresh credentials for a push that outlives those issued at start (docs/format.md §6). The
 * transfer token the consumer posts its receipt with and the handover key envelope both expire
 * (`tokenTtlMs`, 1 hour by default), and a push may run longer or be deferred to the next
 * start. Before a push goes on, a token or envelope that expires within `RENEW_MARGIN_MS` is
 * issued anew under the same check as a first issue (issue 7: "issued only if the agreement is
 * finalized and its policy holds now"): the agreement standing and its policy holding now with
 * the consumer's current claims, this transfer not counted as a further use. The decision is
 * audited either way; a refusal stops the push. The container stays the one chosen at start:
 * its duties were performed then (the report travels with the delivery), and part or all of it
 * may already be at the consumer.
 */
import { isoTime } from '../../clock/index.js';
import { fail, ok, type Failure, type Result } from '../../errors/index.js';
import { checkAgreement, type GateDecision } from './agreement-gate.js';
import { recordRefusal } from './evidence.js';
import { issueHandoverEnvelope } from './provider-envelope.js';
import { DEFAULT_TOKEN_TTL_MS, saveOverCurrent, type ProviderDeps } from './provider-deps.js';
import { usesSoFar } from './provider-start.js';
import type { OutboundTransfer } from './ports.js';
import { issueTransferToken } from './transfer-token.js';

/** Credentials this close to their expiry are renewed: the consumer still has to open the envelope and post its receipt. */
export const RENEW_MARGIN_MS = 5 * 60 * 1000;

/** `record` with a token and envelope that outlast the next step, renewed if need be. */
export async function withFreshCredentials(deps: ProviderDeps, record: OutboundTransfer): Promise<Result<OutboundTransfer>> {
  const expiring = (at: string) => Date.parse(at) - deps.clock.now() <= RENEW_MARGIN_MS;
  if (!expiring(record.token.expiresAt) && (record.envelope === undefined || !expiring(record.envelope.expiresAt))) return ok(record);
  const gate = await checkAgreement(deps, { agreementId: record.agreementId, consumerDid: record.consumerDid, uses: await usesSoFar(deps, { id: record.transferId, agreementId: record.agreementId }) });
  if (!gate.ok) return refuse(deps, record, gate);
  const renewed = await reissue(deps, record, gate.value);
  if (!renewed.ok) return refuse(deps, record, renewed);
  const { token, policyDecisionDigest, updatedAt, envelope } = renewed.value;
  const saved = await saveOverCurrent(deps, record, { token, policyDecisionDigest, updatedAt, ...(envelope === undefined ? {} : { envelope }) });
  await recordRenewal(deps, saved, gate.value);
  return saved.status === 'active' ? ok(saved) : fail('SOV_DATAPLANE_TRANSFER_NOT_ACTIVE', `transfer ${saved.transferId} is ${saved.status}`, { state: saved.status });
}

async function reissue(deps: ProviderDeps, record: OutboundTransfer, gate: GateDecision): Promise<Result<OutboundTransfer>> {
  const ttlMs = deps.tokenTtlMs ?? DEFAULT_TOKEN_TTL_MS;
  const issued = await issueTransferToken({ ...deps, issuerDid: deps.self.did, consumerDid: record.consumerDid, transferId: record.transferId, agreementId: record.agreementId, ttlMs });
  const renewed: OutboundTransfer = {
    ...record,
    token: { value: issued.token, jti: issued.claims.jti, expiresAt: new Date(issued.claims.exp * 1000).toISOString() },
    policyDecisionDigest: gate.reportDigest,
    updatedAt: isoTime(deps.clock),
  };
  if (record.envelope === undefined) return ok(renewed);
  const envelope = await issueHandoverEnvelope(deps, renewed, ttlMs);
  return envelope.ok ? ok({ ...renewed, envelope: envelope.value }) : envelope;
}

async function refuse(deps: ProviderDeps, record: OutboundTransfer, failure: Failure): Promise<Failure> {
  await recordRefusal(deps, { stage: 'transfer', consumerDid: record.consumerDid, offeringId: record.offeringId, failure, report: failure.data?.['report'] });
  return failure;
}

/** The permitting decision behind the renewal, in the shape the DSP face records its decisions (src/connector/dsp-audit.ts). */
async function recordRenewal(deps: ProviderDeps, record: OutboundTransfer, gate: GateDecision): Promise<void> {
  await deps.audit.record({
    actor: deps.self.did,
    type: 'policy.decision',
    subjects: [record.transferId, record.agreementId, record.offeringId],
    digest: gate.reportDigest,
    details: {
      process: 'transfer',
      stage: 'transfer',
      permitted: true,
      reasons: [],
      counterparty: record.consumerDid,
      renewed: record.envelope === undefined ? 'transfer token' : 'transfer token and key envelope',
      expiresAt: record.token.expiresAt,
    },
  });
}
