/**
 * The readable rendering of an evidence pack for auditors: one self-contained HTML page (no
 * script, no external resource; a Content-Security-Policy forbids both) with the profile in
 * force, the audit log's verification at generation, and tables of transfers, refusals, key
 * events and anomalies. Every value from the log is escaped: dataset titles, reasons and ids
 * come from partners and must never become markup.
 */
import type { VerifiableCredential } from '../identity/index.js';
import type { EvidencePack, OutboundRecord, RefusalRecord } from './evidence-pack-schema.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (char) => ESCAPES[char] as string);
}

function table(headers: string[], rows: unknown[][], empty: string): string {
  if (rows.length === 0) return `<p class="empty">${escapeHtml(empty)}</p>`;
  const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function definitions(pairs: Array<[string, unknown]>): string {
  return `<dl>${pairs.map(([term, value]) => `<dt>${escapeHtml(term)}</dt><dd>${escapeHtml(value)}</dd>`).join('')}</dl>`;
}

function transferRow(t: OutboundRecord): unknown[] {
  const receipt = t.receipt === undefined ? (t.receiptDigest ?? 'none') : `${t.receiptDigest ?? ''} (signed by ${t.receipt.proof.verificationMethod} at ${t.receipt.receivedAt})`;
  return [t.leftAt, t.datasetTitle === undefined ? t.datasetId : `${t.datasetTitle} (${t.datasetId})`, `${t.recipientDid} (${t.recipientJurisdiction})`,
    `${t.transferId} under ${t.agreementId}`, `${t.classification.label} (level ${t.classification.level})`, t.keyReleaseMode, t.policyDecisionDigest,
    t.anonymisationReportDigest ?? 'none', t.containerDigest, receipt, t.evidence.map((e) => e.seq).join(', ')];
}

function refusalRow(r: RefusalRecord): unknown[] {
  const reasons = r.reasons.map((reason) => `${reason.code}: ${reason.message}${reason.rule ? ` [rule ${reason.rule}]` : ''}${reason.constraint ? ` [${reason.constraint}]` : ''}`).join(' | ');
  return [r.time, r.stage, r.outcome, `${r.counterpartyDid} (${r.jurisdiction})`, r.offerId ?? r.datasetId ?? '', reasons, r.reportDigest, r.seq];
}

function auditSection(pack: EvidencePack): string {
  const log = pack.auditLog;
  const status = log.verified ? 'VERIFIED' : `FAILED: ${log.problems.map((p) => `entry ${p.seq} ${p.kind}`).join('; ')}`;
  const checkpoint = log.checkpoint;
  return `<h2>Audit log at generation</h2>
<p class="${log.verified ? 'ok' : 'bad'}">Chain ${escapeHtml(status)}</p>
${definitions([
  ['Entries / checkpoints', `${log.entries} / ${log.checkpoints}`],
  ['Head', log.head === null ? 'empty log' : `entry ${log.head.seq}, ${log.head.hash}`],
  ['Signed through entry', log.signedThrough],
  ['Pack covers entries through', log.coveredThroughSeq],
  ['Signed checkpoint', checkpoint === null ? 'none' : `entry ${checkpoint.seq}, head ${checkpoint.headHash}, ${checkpoint.time}, key ${checkpoint.verificationMethod}`],
  ['Checkpoint signature', checkpoint?.signature ?? 'none'],
])}`;
}

function profileSection(pack: EvidencePack): string {
  const p = pack.jurisdictionProfile;
  const ceilings = p.export.releasableTo.map((rule) => `level ≤ ${rule.maxLevel} to ${rule.partners.join(', ')}`).join('; ');
  return `<h2>Jurisdiction profile in force: ${escapeHtml(p.name)}</h2>
${definitions([
  ['Data-protection regime', `${p.dataProtection.label} (${p.dataProtection.regime})`],
  ['Security framework', p.securityFramework.label],
  ['Export ceiling', `level ${p.export.maxLevel}; ${ceilings || 'to no partner'}`],
  ['Residency (data / metadata)', `${p.residency.data.join(', ')} / ${p.residency.metadata.join(', ')}`],
  ['Legal basis', p.legalBasis],
  ['Profile digest', pack.jurisdictionProfileDigest],
])}
${table(['Label', 'Common level', 'Note'], p.classification.labels.map((l) => [l.label, l.level, l.note ?? '']), 'no labels')}
<p class="disclaimer">${escapeHtml(p.disclaimer)}</p>`;
}

export function renderEvidencePackHtml(input: { pack: EvidencePack; credential: VerifiableCredential }): string {
  const { pack, credential } = input;
  const proof = [credential.proof].flat()[0];
  const c = pack.counts;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Compliance evidence pack — ${escapeHtml(pack.connector)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse;font-size:.85em}td,th{border:1px solid #999;padding:.3em;vertical-align:top;word-break:break-all}th{background:#eee}dt{font-weight:bold}.ok{color:#064}.bad{color:#a00;font-weight:bold}.disclaimer,.empty{font-style:italic}</style>
</head><body>
<h1>Compliance evidence pack</h1>
${definitions([
  ['Connector', pack.connector],
  ['Period', `${pack.period.since} to ${pack.period.until}`],
  ['Partner filter', pack.partner ?? 'all partners'],
  ['Generated at', pack.generatedAt],
  ['Signed as', `${[credential.type].flat().join(', ')} by ${proof?.verificationMethod ?? ''} (${proof?.cryptosuite ?? ''})`],
  ['Counts', `${c.outbound} transfers out, ${c.refusals} refusals, ${c.keyEvents} key events, ${c.receipts} receipts, ${c.anomalies} anomalies`],
])}
${profileSection(pack)}
${auditSection(pack)}
<h2>Datasets that left the nation</h2>
${table(['Left at', 'Dataset', 'Recipient', 'Transfer / agreement', 'Classification', 'Key release', 'Policy decision', 'Anonymisation report', 'Container', 'Receipt', 'Entries'], pack.outbound.map(transferRow), 'No dataset left in this period.')}
<h2>Refusals</h2>
${table(['Time', 'Stage', 'Outcome', 'Counterparty', 'Offer / dataset', 'Reasons', 'Decision report', 'Entry'], pack.refusals.map(refusalRow), 'No refusal in this period.')}
<h2>Key events</h2>
${table(['Time', 'Event', 'Keys', 'Actor', 'Details', 'Entry'], pack.keyEvents.map((k) => [k.time, k.type, k.subjects.join(', '), k.actor, JSON.stringify(k.details), k.seq]), 'No key event in this period.')}
<h2>Receipts for transfers before this period</h2>
${table(['Transfer', 'Agreement', 'Consumer', 'Received at', 'Container'], pack.otherReceipts.map((r) => [r.transferId, r.agreementId, r.consumerDid, r.receivedAt, r.containerDigest]), 'None.')}
<h2>Anomalies</h2>
${table(['Entry', 'Event', 'Problem'], pack.anomalies.map((a) => [a.seq, a.type, a.problem]), 'None: every evidence entry matched the contract.')}
</body></html>
`;
}
