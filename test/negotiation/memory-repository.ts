/**
 * In-memory test double of the NegotiationRepository port: the same commit contract the SQL
 * adapter must honour (insert vs expected version, conflict changes nothing, outbox stored
 * in the same step, deep copies in and out).
 */
import type { OutboxEntry } from '../../src/dsp/index.js';
import { fail, ok, type Result } from '../../src/errors/index.js';
import type { ContractNegotiation, NegotiationChange, NegotiationRepository } from '../../src/negotiation/index.js';

export class MemoryNegotiationRepository implements NegotiationRepository {
  readonly records = new Map<string, ContractNegotiation>();
  /** Entries not yet taken for delivery (the harness's worker shifts them off). */
  readonly outbox: OutboxEntry[] = [];
  /** Every outbox entry id ever committed. */
  private readonly queued = new Set<string>();
  commits = 0;

  async get(id: string) {
    const record = this.records.get(id);
    return record && structuredClone(record);
  }

  async findByCounterpartyPid(counterpartyDid: string, pid: string) {
    for (const r of this.records.values()) {
      const theirs = r.role === 'provider' ? r.consumerPid : r.providerPid;
      if (r.counterpartyDid === counterpartyDid && theirs === pid) return structuredClone(r);
    }
    return undefined;
  }

  async findByAgreementId(agreementId: string) {
    for (const r of this.records.values()) if (r.agreement?.['@id'] === agreementId) return structuredClone(r);
    return undefined;
  }

  async commit({ record, expectedVersion, outbox }: NegotiationChange): Promise<Result<void>> {
    const current = this.records.get(record.id);
    if (expectedVersion === null ? current !== undefined : current?.version !== expectedVersion) {
      return fail('SOV_NEG_CONFLICT', `negotiation ${record.id} changed concurrently`);
    }
    this.records.set(record.id, structuredClone(record));
    this.outbox.push(...structuredClone([...outbox]));
    outbox.forEach((entry) => this.queued.add(entry.id));
    this.commits += 1;
    return ok(undefined);
  }

  /** Sent: committed once and since taken off the queue. */
  async outboxEntrySent(id: string) {
    return this.queued.has(id) && !this.outbox.some((entry) => entry.id === id);
  }
}
