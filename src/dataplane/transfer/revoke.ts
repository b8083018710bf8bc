/**
 * The owner revokes an agreement it granted (issue 7: "Suspending or terminating the transfer,
 * or revoking the agreement, stops further releases"). From then on no container, envelope or
 * owner-held key release is served under it, even for data already abroad. Audited.
 */
import { isoTime } from '../../clock/index.js';
import { ok, type Result } from '../../errors/index.js';
import { heldAgreement } from './agreement-gate.js';
import type { ProviderDeps } from './provider-deps.js';

export async function revokeAgreement(
  deps: Pick<ProviderDeps, 'negotiations' | 'records' | 'audit' | 'clock' | 'self'>,
  input: { agreementId: string; reason: string; actor?: string },
): Promise<Result<{ revokedAt: string }>> {
  const negotiation = await deps.negotiations.findByAgreementId(input.agreementId);
  const agreement = await heldAgreement(deps, input.agreementId, negotiation?.counterpartyDid ?? '');
  if (!agreement.ok) return agreement;
  const at = isoTime(deps.clock);
  await deps.records.revoke(input.agreementId, at, input.reason);
  const revokedAt = (await deps.records.revokedAt(input.agreementId)) ?? at;
  await deps.audit.record({
    actor: input.actor ?? deps.self.did,
    type: 'negotiation.state',
    subjects: [input.agreementId, agreement.value.target],
    details: { agreementId: input.agreementId, state: 'REVOKED', reason: input.reason, counterpartyDid: negotiation?.counterpartyDid ?? null },
  });
  return ok({ revokedAt });
}
