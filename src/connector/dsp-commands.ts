/**
 * What the management API and the CLI can ask of the DSP face (issue 6 "Management API"):
 * offerings (create / update / retire / show / list), a partner's catalogue, negotiations
 * (start from an offer, counter, accept, agree, terminate, show, list), transfers (start for an
 * agreement, suspend, resume, complete, terminate, show, list) and the outbox worker.
 * Each call returns a Result; the management API renders failures as problem+json.
 */
import type { Catalog, CodeAndReason, DataAddress } from '../dsp/index.js';
import { ok, type Result } from '../errors/index.js';
import * as negotiation from '../negotiation/index.js';
import type { ContractNegotiation, NegotiationDeps, TargetedOffer } from '../negotiation/index.js';
import {
  createOffering,
  retireOffering,
  updateOffering,
  type ChangeOptions,
  type Offering,
  type OfferingDeps,
  type OfferingListQuery,
  type OfferingPage,
} from '../offerings/index.js';
import type { OutboxWorker } from '../outbox/index.js';
import { resolvePurpose, type PolicyVocabulary } from '../policy/index.js';
import type { ListPage, ListQuery, SqlNegotiationRepository, SqlTransferRepository } from '../store/repositories/index.js';
import * as transfer from '../transfer/index.js';
import type { DataPlaneControl, TransferDeps, TransferProcess } from '../transfer/index.js';
import type { PeerAddress, PeerTarget, remoteDsp } from './dsp-remote.js';

export interface ConnectorDsp {
  /** This connector's DID and absolute DSP 2025-1 base URL (also its callbackAddress). */
  readonly self: { did: string; dspBase: string };
  readonly offerings: {
    create(input: unknown, options?: ChangeOptions): Promise<Result<Offering>>;
    update(id: string, input: unknown, options?: ChangeOptions): Promise<Result<Offering>>;
    retire(id: string, options?: ChangeOptions & { expectedVersion?: number }): Promise<Result<Offering>>;
    get(id: string): Promise<Offering | undefined>;
    list(query?: OfferingListQuery): Promise<Result<OfferingPage>>;
  };
  /** A partner's DSP base by version discovery at its did:web host or URL. */
  discover(target: PeerTarget): Promise<Result<PeerAddress>>;
  /** One page of a partner's catalogue (`next`: the previous page's next link). */
  fetchCatalog(target: PeerTarget, next?: string): Promise<Result<{ peer: PeerAddress; catalog: Catalog; next?: string }>>;
  readonly negotiations: {
    /**
     * Consumer: request a catalogue offer (with its dataset as `target`) from a provider, stating
     * `purpose` (a purpose IRI or short name of vocab/sov-purposes.jsonld; unknown ones refused).
     */
    start(input: { offer: TargetedOffer; provider: PeerTarget; purpose?: string }): Promise<Result<ContractNegotiation>>;
    counterRequest(id: string, offer: TargetedOffer): Promise<Result<ContractNegotiation>>;
    counterOffer(id: string, offer: TargetedOffer): Promise<Result<ContractNegotiation>>;
    accept(id: string): Promise<Result<ContractNegotiation>>;
    agree(id: string): Promise<Result<ContractNegotiation>>;
    terminate(id: string, termination?: { code?: string; reason?: unknown[] }): Promise<Result<ContractNegotiation>>;
    get(id: string): Promise<ContractNegotiation | undefined>;
    /** Newest first; filter by `state` / `counterpartyDid`; page with `cursor`. */
    list(query?: ListQuery): Promise<Result<ListPage<ContractNegotiation>>>;
  };
  readonly transfers: {
    /** Consumer: request a transfer under a FINALIZED agreement we hold (push formats need `dataAddress`). */
    start(input: { agreementId: string; format: string; dataAddress?: DataAddress }): Promise<Result<TransferProcess>>;
    suspend(id: string, why?: CodeAndReason): Promise<Result<TransferProcess>>;
    resume(id: string): Promise<Result<TransferProcess>>;
    complete(id: string): Promise<Result<TransferProcess>>;
    terminate(id: string, why?: CodeAndReason): Promise<Result<TransferProcess>>;
    get(id: string): Promise<TransferProcess | undefined>;
    list(query?: ListQuery): Promise<Result<ListPage<TransferProcess>>>;
  };
  /** Wires the provider's data plane (src/dataplane) into the transfer process. */
  useDataPlane(control: DataPlaneControl): void;
  /** The persisted outbox worker (`drain()` delivers everything due now). */
  readonly worker: OutboxWorker;
}

export interface DspProcessDeps {
  negotiations: NegotiationDeps & { repository: SqlNegotiationRepository };
  transfers: TransferDeps & { repository: SqlTransferRepository };
}

export interface DspCommandDeps extends DspProcessDeps {
  self: { did: string; dspBase: string };
  offerings: OfferingDeps;
  remote: ReturnType<typeof remoteDsp>;
  worker: OutboxWorker;
  useDataPlane(control: DataPlaneControl): void;
  /** The purposes a consumer may state (the policy vocabulary's purpose hierarchy). */
  vocabulary: Pick<PolicyVocabulary, 'broader'>;
}

export function dspCommands(deps: DspCommandDeps): ConnectorDsp {
  const { negotiations: neg, transfers: tp, offerings, remote } = deps;
  return {
    self: deps.self,
    offerings: {
      create: (input, options) => createOffering(offerings, input, options),
      update: (id, input, options) => updateOffering(offerings, id, input, options),
      retire: (id, options) => retireOffering(offerings, id, options),
      get: (id) => offerings.repository.get(id),
      list: (query) => offerings.repository.list(query),
    },
    discover: remote.discover,
    async fetchCatalog(target, next) {
      const peer = await remote.discover(target);
      if (!peer.ok) return peer;
      const page = await remote.fetchCatalog(peer.value, next);
      return page.ok ? ok({ peer: peer.value, ...page.value }) : page;
    },
    negotiations: {
      async start({ offer, provider, purpose }) {
        const stated = purpose === undefined ? ok(undefined) : resolvePurpose(deps.vocabulary, purpose);
        if (!stated.ok) return stated;
        const peer = await remote.discover(provider);
        if (!peer.ok) return peer;
        const purposeIri = stated.value === undefined ? {} : { purpose: stated.value };
        return negotiation.requestContract(neg, { providerDid: peer.value.did, providerDspBase: peer.value.dspBase, offer, ...purposeIri });
      },
      counterRequest: (id, offer) => negotiation.counterRequest(neg, id, offer),
      counterOffer: (id, offer) => negotiation.counterOffer(neg, id, offer),
      accept: (id) => negotiation.acceptOffer(neg, id),
      agree: (id) => negotiation.agreeToTerms(neg, id),
      terminate: (id, termination = {}) => negotiation.terminateNegotiation(neg, id, termination),
      get: (id) => neg.repository.get(id),
      list: (query) => neg.repository.list(query),
    },
    transfers: {
      start: (input) => transfer.requestTransfer(tp, input),
      suspend: (id, why) => transfer.suspendTransfer(tp, id, why),
      resume: (id) => transfer.resumeTransfer(tp, id),
      complete: (id) => transfer.completeTransfer(tp, id),
      terminate: (id, why) => transfer.terminateTransfer(tp, id, why),
      get: (id) => tp.repository.get(id),
      list: (query) => tp.repository.list(query),
    },
    useDataPlane: deps.useDataPlane,
    worker: deps.worker,
  };
}
