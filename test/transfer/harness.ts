/**
 * Transfer sides on top of a finalized negotiation from the negotiation harness, with an
 * in-memory TransferRepository double and a recording fake data plane.
 */
import { dataAddress, validateDspMessage, type OutboxEntry } from '../../src/dsp/index.js';
import { fail, ok, type Result } from '../../src/errors/index.js';
import * as neg from '../../src/negotiation/index.js';
import type { PolicyDecider } from '../../src/negotiation/index.js';
import * as tp from '../../src/transfer/index.js';
import type { TransferDeps, TransferOutcome, TransferProcess, TransferRepository } from '../../src/transfer/index.js';
import { CATALOG_OFFER, counterIds, DATASET, makeSides, PROVIDER_DID, settle, type Side as NegSide } from '../negotiation/harness.js';

export class MemoryTransferRepository implements TransferRepository {
  readonly records = new Map<string, TransferProcess>();
  /** Entries not yet taken for delivery (`deliverTransfer` shifts them off). */
  readonly outbox: OutboxEntry[] = [];
  private readonly queued = new Set<string>();
  commits = 0;
  async get(id: string) {
    const r = this.records.get(id);
    return r && structuredClone(r);
  }
  async findByCounterpartyPid(did: string, pid: string) {
    for (const r of this.records.values()) {
      if (r.counterpartyDid === did && (r.role === 'provider' ? r.consumerPid : r.providerPid) === pid) return structuredClone(r);
    }
    return undefined;
  }
  async countByAgreement(agreementId: string) {
    return [...this.records.values()].filter((r) => r.agreementId === agreementId).length;
  }
  async commit({ record, expectedVersion, outbox }: Parameters<TransferRepository['commit']>[0]) {
    const current = this.records.get(record.id);
    if (expectedVersion === null ? current !== undefined : current?.version !== expectedVersion) {
      return fail('SOV_TRANSFER_CONFLICT', `transfer ${record.id} changed concurrently`);
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

export const SOURCE = dataAddress({ endpointType: 'https://w3id.org/idsa/v4.1/HTTP', endpoint: 'https://uk.example/data/x', properties: { authorization: 'tok', authType: 'bearer' } });
export const SINK = dataAddress({ endpointType: 'https://w3id.org/idsa/v4.1/HTTP', endpoint: 'https://ca.example/sink' });

export interface TSide {
  deps: TransferDeps;
  repo: MemoryTransferRepository;
  neg: NegSide;
  dataPlaneCalls: string[];
}

/** Allows at most `limit` transfers per agreement (an ODRL count constraint in miniature). */
export function countPolicy(limit: number): PolicyDecider {
  return {
    decide: (_p, _c, ctx) =>
      (ctx.transfersSoFar ?? 0) < limit
        ? { permitted: true, report: { count: ctx.transfersSoFar }, reasons: [] }
        : { permitted: false, report: { count: ctx.transfersSoFar }, reasons: [{ code: 'ODRL_COUNT_EXCEEDED', message: `count ${limit} used up`, constraint: 'permission[0].constraint[0]' }] },
  };
}

export async function finalizedPair(options: { limit?: number; pullWithoutAddress?: boolean } = {}) {
  const negotiation = makeSides();
  await neg.requestContract(negotiation.consumer.deps, { providerDid: PROVIDER_DID, providerDspBase: 'https://uk.example/dsp', offer: { ...CATALOG_OFFER, target: DATASET } });
  await settle(negotiation.consumer, negotiation.provider);
  const agreementId = [...negotiation.consumer.repo.records.values()][0]!.agreement!['@id'];
  const side = (n: NegSide, prefix: string): TSide => {
    const repo = new MemoryTransferRepository();
    const calls: string[] = [];
    const deps: TransferDeps = {
      repository: repo,
      negotiations: n.repo,
      policy: countPolicy(options.limit ?? 10),
      formats: { formatsOf: async (id) => (id === DATASET ? ['HttpData-PULL', 'HttpData-PUSH'] : []) },
      dataPlane: {
        start: async (t) => {
          calls.push(`start:${t.id}`);
          return ok(t.format.endsWith('PULL') && !options.pullWithoutAddress ? SOURCE : undefined);
        },
        stop: async (t, why) => {
          calls.push(`stop:${why}:${t.id}`);
        },
      },
      clock: n.deps.clock,
      ids: counterIds(prefix),
      self: n.deps.self,
    };
    return { deps, repo, neg: n, dataPlaneCalls: calls };
  };
  return { provider: side(negotiation.provider, 'tp'), consumer: side(negotiation.consumer, 'tc'), agreementId };
}

export async function routeTransfer(entry: OutboxEntry, to: TSide, from: TSide): Promise<Result<TransferOutcome>> {
  const type = entry.body['@type'] as Parameters<typeof validateDspMessage>[0];
  const checked = validateDspMessage(type, entry.body);
  if (!checked.ok) throw new Error(`outbound ${type} invalid: ${checked.detail}`);
  const caller = from.neg.caller;
  const toProvider = to.deps.self.did === PROVIDER_DID;
  const body = checked.value as never;
  switch (type) {
    case 'TransferRequestMessage':
      return tp.onTransferRequest(to.deps, caller, body);
    case 'TransferStartMessage':
      return (toProvider ? tp.onProviderTransferStart : tp.onConsumerTransferStart)(to.deps, caller, body);
    case 'TransferSuspensionMessage':
      return (toProvider ? tp.onProviderTransferSuspension : tp.onConsumerTransferSuspension)(to.deps, caller, body);
    case 'TransferCompletionMessage':
      return (toProvider ? tp.onProviderTransferCompletion : tp.onConsumerTransferCompletion)(to.deps, caller, body);
    case 'TransferTerminationMessage':
      return (toProvider ? tp.onProviderTransferTermination : tp.onConsumerTransferTermination)(to.deps, caller, body);
    default:
      throw new Error(`unroutable ${type}`);
  }
}

export async function deliverTransfer(from: TSide, to: TSide): Promise<Result<TransferOutcome>> {
  const entry = from.repo.outbox.shift();
  if (!entry) throw new Error('nothing to deliver');
  const result = await routeTransfer(entry, to, from);
  if (result.ok) await tp.confirmTransferDelivery(from.deps, entry.localPid, entry.id, result.value.ack);
  return result;
}

export async function settleTransfers(a: TSide, b: TSide) {
  for (let i = 0; i < 10 && (a.repo.outbox.length > 0 || b.repo.outbox.length > 0); i++) {
    if (a.repo.outbox.length > 0) await deliverTransfer(a, b);
    if (b.repo.outbox.length > 0) await deliverTransfer(b, a);
  }
}

export async function onlyTransfer(side: TSide): Promise<TransferProcess> {
  const [r] = [...side.repo.records.values()];
  if (!r) throw new Error('no transfer');
  return (await side.repo.get(r.id))!;
}
