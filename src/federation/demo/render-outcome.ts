/**
 * One scenario outcome as the lines `sovc demo` prints: what was asked, what each connector
 * answered (negotiation and transfer states, the decrypted file and its SHA-256, the signed
 * anonymisation report's figures, or the refusal with the provider's reason codes).
 */
import type { PolicyReason } from '../../negotiation/index.js';
import type { ExpiryOutcome } from './expiry-scenario.js';
import type { Refusal, TransferOutcome } from './exchange-steps.js';
import type { ScenarioOutcome } from './scenarios.js';

function reasonText(reason: unknown): string {
  if (typeof reason === 'string') return reason;
  const { code, message } = (reason ?? {}) as Partial<PolicyReason>;
  return [code, message].filter((part) => part !== undefined).join(': ') || JSON.stringify(reason);
}

function refusalLines(prefix: string, refusal: (Refusal & { reasons?: unknown[] }) | undefined): string[] {
  if (refusal === undefined) return [];
  return [`${prefix}: ${refusal.code} — ${refusal.detail}`, ...(refusal.reasons ?? []).map((reason) => `      reason: ${reasonText(reason)}`)];
}

function transferLines(label: string, transfer: TransferOutcome | undefined): string[] {
  if (transfer === undefined) return [];
  if (transfer.state !== 'COMPLETED') return [`  ${label}: ${transfer.state}`, ...refusalLines('    refused', transfer.refusal)];
  return [
    `  ${label}: COMPLETED (${transfer.bytes ?? 0} bytes, container blake2b-256 ${transfer.dataset?.containerDigest.slice(0, 16) ?? '?'}…)`,
    `    decrypted file: ${transfer.file}`,
    `    sha256: ${transfer.sha256}`,
  ];
}

export function renderOutcome(outcome: ScenarioOutcome | ExpiryOutcome): string {
  const verdict = outcome.passed ? (outcome.expected === 'permitted' ? 'PERMITTED as expected' : 'REFUSED as expected') : 'UNEXPECTED';
  const lines = [`(${outcome.key}) ${outcome.title}`, `  ${outcome.consumer} asks ${outcome.provider} for ${outcome.datasetId} — ${verdict} [${outcome.ms} ms]`];
  for (const note of outcome.notes) lines.push(`  note: ${note}`);
  const negotiation = outcome.negotiation;
  if (negotiation !== undefined) {
    lines.push(`  negotiation: ${negotiation.state}${negotiation.agreementId === undefined ? '' : ` (agreement ${negotiation.agreementId})`}`);
    lines.push(...refusalLines(negotiation.state === 'REFUSED' ? `    ${outcome.consumer} connector refused` : '    provider terminated', negotiation.refusal));
  }
  lines.push(...transferLines('transfer', outcome.transfer));
  const report = outcome.anonymisation;
  if (report !== undefined) {
    lines.push(
      `  anonymisation report (signed by ${report.issuer}): k = ${report.k}, l = ${report.l ?? '-'} (model k ≥ ${report.model.k}, l ≥ ${report.model.l ?? '-'}, suppression ≤ ${report.model.maxSuppression * 100}%)`,
      `    rows: ${report.rowsIn} in, ${report.rowsOut} released, ${report.suppressed} suppressed; removed: ${report.removed.join(', ')}; pseudonymised: ${report.pseudonymised.join(', ')}`,
    );
  }
  if (outcome.decision !== undefined) {
    lines.push(`  ${outcome.provider}'s policy decision for ${outcome.consumer}: ${outcome.decision.permitted ? 'permitted' : 'prohibited'}`);
    lines.push(...outcome.decision.reasons.map((reason) => `      reason: ${reasonText(reason)}`));
  }
  if ('afterExpiry' in outcome) lines.push(...transferLines('transfer after expiry', outcome.afterExpiry));
  return lines.join('\n');
}
