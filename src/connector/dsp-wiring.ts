/**
 * The Dataspace Protocol face of a connector (issue 6), assembled from its capabilities: SQL
 * repositories whose commits carry the outbox rows and audit entries, the persisted outbox
 * worker delivering each message with our caller token, the ODRL policy decider with this
 * partner's jurisdiction profile, the kms agreement signer, the offerings catalogue, the DSP
 * routes (version discovery at the root, the rest under `DSP_BASE_PATH`), and `ConnectorDsp`:
 * the commands the management API and CLI call.
 */
import type { StoreAuditLog } from '../audit/index.js';
import { uuidGenerator, type Clock, type IdGenerator } from '../clock/index.js';
import type { ConnectorConfig } from '../config/index.js';
import { dspUrl } from '../dsp/index.js';
import { fail, ok, type Result } from '../errors/index.js';
import { mountDspApi, type HttpApp } from '../http/index.js';
import { catalogRoutes, negotiationRoutes, transferRoutes, versionRoutes } from '../http/dsp/index.js';
import { resolveDidDocument, type ConnectorIdentity, type FetchLike } from '../identity/index.js';
import { verifySignature, type FileKms } from '../kms/index.js';
import * as negotiation from '../negotiation/index.js';
import { createAgreementSigner, createPolicyDecider } from '../negotiation-adapters/index.js';
import { createOfferingPolicyResolver, offeringOfferCatalog, type OfferingDeps, type OfferingRepository } from '../offerings/index.js';
import { createOutboxWorker, type OutboxWorker, type RetryPolicy } from '../outbox/index.js';
import { createPolicyEngine, loadContractTemplates, loadJurisdictionProfiles, loadPolicyVocabulary } from '../policy/index.js';
import type { Database, Migration } from '../store/index.js';
import { createSqlOfferingRepository, repositoryMigrations, sqlOutboxStore, type SqlTransferRepository } from '../store/repositories/index.js';
import * as transfer from '../transfer/index.js';
import type { DataPlaneControl, TransferProcess } from '../transfer/index.js';
import { auditedNegotiationRepository, auditedTransferRepository } from './dsp-audit.js';
import { catalogPreviewFacts, offeringCatalogService } from './dsp-catalog.js';
import { dspCommands, type ConnectorDsp, type DspProcessDeps } from './dsp-commands.js';
import { deliveryOf, type DeliveryCallbacks } from './dsp-delivery.js';
import { remoteDsp } from './dsp-remote.js';
import type { ConnectorTrust } from './membership-wiring.js';

export type { ConnectorDsp } from './dsp-commands.js';

/** Where the DSP 2025-1 endpoints live under the connector root (advertised by version discovery). */
export const DSP_BASE_PATH = '/dsp/2025-1';

/** The tables of the DSP face: outbox, negotiations, transfers, offerings. */
export const dspMigrations: readonly Migration[] = repositoryMigrations;

export interface DspOptions {
  /** Start the outbox worker with the connector (default true); tests may drain it by hand. */
  autoStartWorker?: boolean;
  /** How often the worker looks for due messages (ms); default 100. */
  pollIntervalMs?: number;
  retry?: Partial<RetryPolicy>;
  /** The provider's data plane; can also be set later with `useDataPlane`. */
  dataPlane?: DataPlaneControl;
}

export interface DspWiringOptions {
  http: HttpApp;
  config: ConnectorConfig;
  db: Database;
  kms: FileKms;
  audit: StoreAuditLog;
  identity: ConnectorIdentity;
  trust: ConnectorTrust;
  clock: Clock;
  ids: IdGenerator;
  fetch: FetchLike;
  options?: DspOptions;
}

export interface WiredDsp extends ConnectorDsp {
  /** Starts the outbox worker (unless `autoStartWorker` is false) and loads the catalogue, so the first catalogue request finds it ready. */
  start(): Promise<void>;
  /** Calls `listener` after each transfer change is committed (the consumer's automatic pulls watch for STARTED). */
  onTransferCommitted(listener: (record: TransferProcess) => void): void;
  stop(): Promise<void>;
}

function loadPolicy() {
  const vocabulary = loadPolicyVocabulary();
  if (!vocabulary.ok) return vocabulary;
  const profiles = loadJurisdictionProfiles();
  if (!profiles.ok) return profiles;
  const templates = loadContractTemplates();
  if (!templates.ok) return templates;
  return ok({ engine: createPolicyEngine({ vocabulary: vocabulary.value }), vocabulary: vocabulary.value, profiles: profiles.value, templates: templates.value });
}

/** Offerings whose every committed change is audited (same transaction) and refreshes the catalogue. */
function offeringRepositoryOf(wiring: DspWiringOptions, afterCommit: () => void): OfferingRepository {
  const sql = createSqlOfferingRepository({
    db: wiring.db,
    onCommit: async (tx, change) => {
      await wiring.audit.append(tx, {
        actor: change.actor ?? wiring.identity.did,
        type: 'offering.changed',
        subjects: [change.offering.id, change.offering.offerId],
        details: { kind: change.kind, version: change.offering.version, status: change.offering.status },
      });
    },
  });
  return {
    ...sql,
    async commit(change) {
      const committed = await sql.commit(change);
      afterCommit();
      return committed;
    },
  };
}

/** A data plane slot: transfers refuse to start (with the reason) until one is wired. */
function dataPlaneSlot(initial: DataPlaneControl | undefined) {
  let current = initial;
  const control: DataPlaneControl = {
    start: (t) => (current ? current.start(t) : Promise.resolve(fail('SOV_TRANSFER_DATA_PLANE_FAILED', 'No data plane is wired into this connector', { transfer: t.id }))),
    stop: async (t, why) => current?.stop(t, why),
  };
  return { control, use: (next: DataPlaneControl) => (current = next) };
}

/** What the composition root hears of committed protocol changes. */
interface CommitListeners {
  /** A transfer change is stored (the consumer's automatic pulls watch for STARTED). */
  transfer: (record: TransferProcess) => void;
  /** A change queued outbox entries: the worker sends them now rather than at its next poll. */
  queued: () => void;
}

/** `repository` calling `after` with each change it committed. */
function observed<C, R extends { commit(change: C): Promise<Result<void>> }>(repository: R, after: (change: C) => void): R {
  return {
    ...repository,
    async commit(change: C) {
      const result = await repository.commit(change);
      if (result.ok) after(change);
      return result;
    },
  };
}

function processDeps(wiring: DspWiringOptions, self: { did: string; dspBase: string }, dataPlane: DataPlaneControl, listeners: CommitListeners) {
  const policyFiles = loadPolicy();
  if (!policyFiles.ok) return policyFiles;
  const { engine, profiles, templates } = policyFiles.value;
  const { db, audit, identity, clock, ids } = wiring;
  let refreshCatalog = (): void => undefined;
  const offeringRepository = offeringRepositoryOf(wiring, () => refreshCatalog());
  // Offering and offer ids are published in the catalogue: random, so they do not tell when an offering was made or changed (timeOrderedIds).
  const offerings: OfferingDeps = { repository: offeringRepository, policies: createOfferingPolicyResolver({ templates, engine }), clock, ids: uuidGenerator };
  const policy = createPolicyDecider({
    engine,
    profiles,
    provider: wiring.config.partner,
    datasetFacts: async (target) => catalogPreviewFacts(target) ?? (await offeringRepository.get(target)),
  });
  const catalog = offeringCatalogService({ offerings: offeringRepository, policy, clock, self });
  refreshCatalog = () => catalog.invalidate();
  const signer = createAgreementSigner({ kms: wiring.kms, verifySignature, did: identity.did, clock, resolveDid: (did) => resolveDidDocument(wiring.trust.didResolver, did) });
  const queued = (change: { outbox: readonly unknown[] }) => {
    if (change.outbox.length > 0) listeners.queued();
  };
  const negotiationRepository = observed(auditedNegotiationRepository({ db, audit, selfDid: identity.did }), queued);
  const negotiations = { repository: negotiationRepository, policy, signer, offers: offeringOfferCatalog(offeringRepository), clock, ids, self };
  const transferRepository = observed(auditedTransferRepository({ db, audit, selfDid: identity.did }), (change: Parameters<SqlTransferRepository['commit']>[0]) => {
    listeners.transfer(change.record);
    queued(change);
  });
  const transfers = {
    repository: transferRepository,
    negotiations: negotiations.repository,
    policy,
    formats: { formatsOf: async (datasetId: string) => (await offeringRepository.get(datasetId))?.formats ?? [] },
    dataPlane,
    clock,
    ids,
    self,
  };
  return ok({ offerings, catalog, vocabulary: policyFiles.value.vocabulary, processes: { negotiations, transfers } satisfies DspProcessDeps });
}

function outboxWorker(wiring: DspWiringOptions, { negotiations, transfers }: DspProcessDeps): OutboxWorker {
  const delivery = deliveryOf({
    client: wiring.trust.client,
    callbacks: {
      negotiation: {
        current: (pid) => negotiations.repository.get(pid),
        confirm: (pid, outboxId, ack, read) => negotiation.confirmDelivery(negotiations, pid, outboxId, ack, read),
        abandon: (pid, outboxId, failure) => negotiation.abandonDelivery(negotiations, pid, outboxId, failure),
      } satisfies DeliveryCallbacks<negotiation.ContractNegotiation>,
      transfer: {
        current: (pid) => transfers.repository.get(pid),
        confirm: (pid, outboxId, ack, read) => transfer.confirmTransferDelivery(transfers, pid, outboxId, ack, read),
        abandon: (pid, outboxId, failure) => transfer.abandonTransferDelivery(transfers, pid, outboxId, failure),
      } satisfies DeliveryCallbacks<TransferProcess>,
    },
  });
  return createOutboxWorker({
    store: sqlOutboxStore(wiring.db),
    ...delivery,
    clock: wiring.clock,
    pollIntervalMs: wiring.options?.pollIntervalMs ?? 100,
    ...(wiring.options?.retry === undefined ? {} : { retry: wiring.options.retry }),
  });
}

export function wireDsp(wiring: DspWiringOptions): Result<WiredDsp> {
  const self = { did: wiring.identity.did, dspBase: dspUrl(wiring.config.publicBaseUrl, DSP_BASE_PATH) };
  const dataPlane = dataPlaneSlot(wiring.options?.dataPlane);
  const listeners: Array<(record: TransferProcess) => void> = [];
  let wakeWorker = (): void => undefined;
  const built = processDeps(wiring, self, dataPlane.control, { transfer: (record) => listeners.forEach((listener) => listener(record)), queued: () => wakeWorker() });
  if (!built.ok) return built;
  const { offerings, catalog, vocabulary, processes } = built.value;
  const worker = outboxWorker(wiring, processes);
  wakeWorker = () => worker.wake();
  const authenticate = wiring.trust.authenticate;
  wiring.http.mount('/', versionRoutes({ basePath: DSP_BASE_PATH }));
  mountDspApi(wiring.http, {
    basePath: DSP_BASE_PATH,
    routes: [
      { path: '/catalog', errorType: 'CatalogError', router: catalogRoutes({ catalog, authenticate }) },
      { path: '/negotiations', errorType: 'ContractNegotiationError', router: negotiationRoutes({ deps: processes.negotiations, authenticate }) },
      { path: '/transfers', errorType: 'TransferError', router: transferRoutes({ deps: processes.transfers, authenticate }) },
    ],
  });
  const remote = remoteDsp({ client: wiring.trust.client, fetch: wiring.fetch });
  const commands = dspCommands({ self, ...processes, offerings, remote, worker, useDataPlane: dataPlane.use, vocabulary });
  return ok({
    ...commands,
    async start() {
      if (wiring.options?.autoStartWorker ?? true) worker.start();
      await catalog.warm();
    },
    stop: () => worker.stop(),
    onTransferCommitted: (listener) => void listeners.push(listener),
  });
}
