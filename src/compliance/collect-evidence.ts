/**
 * Reads the evidence entries of a period back from the audit log and sorts them into the
 * pack's sections with the schemas of `evidence-events.ts`. An entry that claims to be
 * evidence (an outbound transfer, a refusal, a receipt) but breaks the contract becomes an
 * anomaly in the pack: an auditor must see it, not lose it.
 */
import type { AuditEntry, AuditEventType, AuditLog } from '../audit/index.js';
import { fail, ok, type Result } from '../errors/index.js';
import { jsonDigest } from './digest.js';
import { outboundTransferDetailsSchema, receiptDetailsSchema, refusalDetailsSchema, type ReceiptDetails } from './evidence-events.js';
import type { Anomaly, KeyEventRecord, OutboundRecord, RefusalRecord } from './evidence-pack-schema.js';
import type { TransferReceipt } from './transfer-receipt.js';

export type EvidenceSearch = AuditLog<unknown>['search'];

export const KEY_EVENT_TYPES = ['key.created', 'key.rotated', 'key.destroyed', 'datakey.shredded'] as const;
const EVIDENCE_TYPES: AuditEventType[] = ['key.released', 'transfer.state', 'policy.decision', 'transfer.receipt', ...KEY_EVENT_TYPES];

/** Every entry of the evidence types at or after `since` with seq ≤ `throughSeq`, ascending by seq. */
export async function evidenceEntries(search: EvidenceSearch, since: string, throughSeq: number): Promise<Result<AuditEntry[]>> {
  const entries: AuditEntry[] = [];
  for (const type of EVIDENCE_TYPES) {
    for (let cursor: string | undefined; ; ) {
      const page = await search({ type, since, limit: 1000, ...(cursor === undefined ? {} : { cursor }) });
      if (!page.ok) return fail('SOV_COMPLIANCE_PERIOD_INVALID', page.detail);
      entries.push(...page.value.entries.filter((entry) => entry.seq <= throughSeq));
      cursor = page.value.nextCursor;
      if (cursor === undefined) break;
    }
  }
  return ok(entries.sort((a, b) => a.seq - b.seq));
}

export interface CollectedEvidence {
  outbound: OutboundRecord[];
  refusals: RefusalRecord[];
  keyEvents: KeyEventRecord[];
  otherReceipts: TransferReceipt[];
  anomalies: Anomaly[];
}

/** Matches a partner id (`ca` also matches its members `ca/…`) or a DID. */
export function partnerMatcher(partner: string | undefined): (did: string, place: string) => boolean {
  if (partner === undefined) return () => true;
  if (partner.startsWith('did:')) return (did) => did === partner;
  return (_did, place) => place === partner || place.startsWith(`${partner}/`);
}

function problemOf(error: { issues: Array<{ path: PropertyKey[]; message: string }> }): string {
  return error.issues.map((issue) => `${issue.path.map(String).join('.') || '(details)'}: ${issue.message}`).join('; ');
}

function claimsOutbound(entry: AuditEntry): boolean {
  if (entry.details['direction'] !== 'outbound') return false;
  return entry.type === 'key.released' || (entry.type === 'transfer.state' && entry.details['state'] === 'COMPLETED');
}

function claimsRefusal(entry: AuditEntry): boolean {
  return entry.type === 'policy.decision' && ['prohibited', 'not-applicable'].includes(String(entry.details['outcome']));
}

class Collector {
  readonly byTransfer = new Map<string, OutboundRecord>();
  readonly receipts = new Map<string, ReceiptDetails>();
  readonly result: CollectedEvidence = { outbound: [], refusals: [], keyEvents: [], otherReceipts: [], anomalies: [] };

  constructor(private readonly matches: (did: string, place: string) => boolean) {}

  anomaly(entry: AuditEntry, problem: string): void {
    this.result.anomalies.push({ seq: entry.seq, type: entry.type, problem });
  }

  outbound(entry: AuditEntry): void {
    const parsed = outboundTransferDetailsSchema.safeParse(entry.details);
    if (!parsed.success) return this.anomaly(entry, `outbound transfer evidence does not match the contract: ${problemOf(parsed.error)}`);
    const { direction: _d, state: _s, ...details } = parsed.data;
    if (!this.matches(details.recipientDid, details.recipientJurisdiction)) return;
    const ref = { seq: entry.seq, type: entry.type, time: entry.time };
    const known = this.byTransfer.get(details.transferId);
    if (known === undefined) {
      this.byTransfer.set(details.transferId, { ...details, leftAt: entry.time, evidence: [ref] });
      return;
    }
    known.evidence.push(ref);
    const disagreeing = (['agreementId', 'datasetId', 'recipientDid', 'containerDigest'] as const).filter((field) => known[field] !== details[field]);
    if (disagreeing.length > 0) this.anomaly(entry, `transfer ${details.transferId}: this entry disagrees with entry ${known.evidence[0]?.seq} on ${disagreeing.join(', ')}`);
    known.receiptDigest ??= details.receiptDigest;
  }

  refusal(entry: AuditEntry): void {
    const parsed = refusalDetailsSchema.safeParse(entry.details);
    if (!parsed.success) return this.anomaly(entry, `refusal evidence does not match the contract: ${problemOf(parsed.error)}`);
    if (!this.matches(parsed.data.counterpartyDid, parsed.data.jurisdiction)) return;
    this.result.refusals.push({ seq: entry.seq, time: entry.time, actor: entry.actor, ...parsed.data });
  }

  receipt(entry: AuditEntry): void {
    const parsed = receiptDetailsSchema.safeParse(entry.details);
    if (!parsed.success) return this.anomaly(entry, `receipt evidence does not match the contract: ${problemOf(parsed.error)}`);
    if (jsonDigest(parsed.data.receipt) !== parsed.data.receiptDigest) return this.anomaly(entry, `receipt for ${parsed.data.transferId}: its digest does not match the receipt`);
    this.receipts.set(parsed.data.transferId, parsed.data);
  }

  keyEvent(entry: AuditEntry): void {
    this.result.keyEvents.push({ seq: entry.seq, time: entry.time, type: entry.type, actor: entry.actor, subjects: entry.subjects, details: entry.details });
  }

  /** Attaches each receipt to its transfer, checking both sides name the same container. */
  finish(): CollectedEvidence {
    for (const [transferId, details] of this.receipts) {
      const transfer = this.byTransfer.get(transferId);
      if (transfer === undefined) {
        if (this.matches(details.receipt.consumerDid, '')) this.result.otherReceipts.push(details.receipt);
        continue;
      }
      transfer.receipt = details.receipt;
      if (transfer.receiptDigest !== undefined && transfer.receiptDigest !== details.receiptDigest) {
        this.result.anomalies.push({ seq: transfer.evidence[0]?.seq ?? 0, type: 'transfer.receipt', problem: `transfer ${transferId}: the receipt recorded differs from the receipt digest the transfer names` });
      }
      if (details.receipt.containerDigest !== transfer.containerDigest) {
        this.result.anomalies.push({ seq: transfer.evidence[0]?.seq ?? 0, type: 'transfer.receipt', problem: `transfer ${transferId}: the consumer received container ${details.receipt.containerDigest}, not the ${transfer.containerDigest} sent` });
      }
      transfer.receiptDigest = details.receiptDigest;
    }
    this.result.outbound = [...this.byTransfer.values()];
    this.result.anomalies.sort((a, b) => a.seq - b.seq);
    return this.result;
  }
}

/** Sorts `entries` (ascending) into the pack's sections, keeping only those about `partner` (key events always). */
export function collectEvidence(entries: readonly AuditEntry[], partner: string | undefined): CollectedEvidence {
  const collector = new Collector(partnerMatcher(partner));
  for (const entry of entries) {
    if (claimsOutbound(entry)) collector.outbound(entry);
    else if (claimsRefusal(entry)) collector.refusal(entry);
    else if (entry.type === 'transfer.receipt') collector.receipt(entry);
    else if ((KEY_EVENT_TYPES as readonly string[]).includes(entry.type)) collector.keyEvent(entry);
  }
  return collector.finish();
}
