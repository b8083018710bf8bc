/**
 * The Dataspace Protocol face of a connector (issue 6), assembled from its capabilities: SQL
 * repositories whose commits carry the outbox rows and audit entries, the persisted outbox
 * worker delivering each message with our caller token, the ODRL policy decider with this
 * partner's jurisdiction profile, the kms agreement signer, the offerings catalogue, the DSP
 * routes (version discovery at the root, the rest under `DSP_BASE_PATH`), and `ConnectorDsp`:
 * the commands the management API and CLI call.
 */
import type { StoreAuditLog } from '../audit/index.js';
import type { Clock, IdGenerator } from '../clock/index.js';
import type { ConnectorConfig } from '../config/index.js';
import { dspUrl } from '../dsp/index.js';
import { ok, type Result } from '../errors/index.js';
import { mountDspApi, type HttpApp } from '../http/index.js';
import { catalogRoutes, negotiationRoutes, versionRoutes } from '../http/dsp/index.js';
import { resolveDidDocument, type ConnectorIdentity, type FetchLike } from '../identity/index.js';
import { verifySignature, type FileKms } from '../kms/index.js';
import * as negotiation from '../negotiation/index.js';
import type { NegotiationDeps } from '../negotiation/index.js';
import { createAgreementSigner, createPolicyDecider } from '../negotiation-adapters/index.js';
import { createOfferingPolicyResolver, offeringOfferCatalog, type OfferingDeps } from '../offerings/index.js';
import { createOutboxWorker, type OutboxWorker, type RetryPolicy } from '../outbox/index.js';
import { createPolicyEngine, loadContractTemplates, loadJurisdictionProfiles, loadPolicyVocabulary } from '../policy/index.js';
import type { Database, Migration } from '../store/index.js';
import { createSqlOfferingRepository, repositoryMigrations, sqlOutboxStore, type SqlNegotiationRepository } from '../store/repositories/index.js';
import { auditedNegotiationRepository } from './dsp-audit.js';
import { catalogPreviewFacts, offeringCatalogService } from './dsp-catalog.js';
import { dspCommands, type ConnectorDsp } from './dsp-commands.js';
import { deliveryOf } from './dsp-delivery.js';
import { remoteDsp } from './dsp-remote.js';
import type { ConnectorTrust } from './membership-wiring.js';

export type { ConnectorDsp } from './dsp-commands.js';

/** Where the DSP 2025-1 endpoints live under the connector root (advertised by version discovery). */
export const DSP_BASE_PATH = '/dsp/2025-1';

/** The tables of the DSP face: outbox, negotiations, offerings. */
export const dspMigrations: readonly Migration[] = repositoryMigrations;

export interface DspOptions {
  /** Start the outbox worker with the connector (default true); tests may drain it by hand. */
  autoStartWorker?: boolean;
  /** How often the worker looks for due messages (ms); default 100. */
  pollIntervalMs?: number;
  retry?: Partial<RetryPolicy>;
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

function loadPolicy() {
  const vocabulary = loadPolicyVocabulary();
  if (!vocabulary.ok) return vocabulary;
  const profiles = loadJurisdictionProfiles();
  if (!profiles.ok) return profiles;
  const templates = loadContractTemplates();
  if (!templates.ok) return templates;
  return ok({ engine: createPolicyEngine({ vocabulary: vocabulary.value }), profiles: profiles.value, templates: templates.value });
}

export function wireDsp(wiring: DspWiringOptions): Result<ConnectorDsp & { start(): void; stop(): Promise<void> }> {
  const { config, db, kms, audit, identity, trust, clock, ids } = wiring;
  const policyFiles = loadPolicy();
  if (!policyFiles.ok) return policyFiles;
  const { engine, profiles, templates } = policyFiles.value;
  const self = { did: identity.did, dspBase: dspUrl(config.publicBaseUrl, DSP_BASE_PATH) };

  const offeringRepository = createSqlOfferingRepository({
    db,
    onCommit: async (tx, change) => {
      await audit.append(tx, {
        actor: change.actor ?? identity.did,
        type: 'offering.changed',
        subjects: [change.offering.id, change.offering.offerId],
        details: { kind: change.kind, version: change.offering.version, status: change.offering.status },
      });
    },
  });
  const offerings: OfferingDeps = { repository: offeringRepository, policies: createOfferingPolicyResolver({ templates, engine }), clock, ids };
  const policy = createPolicyDecider({
    engine,
    profiles,
    provider: config.partner,
    datasetFacts: async (target) => catalogPreviewFacts(target) ?? (await offeringRepository.get(target)),
  });
  const negotiations: NegotiationDeps & { repository: SqlNegotiationRepository } = {
    repository: auditedNegotiationRepository({ db, audit, selfDid: identity.did }),
    policy,
    signer: createAgreementSigner({ kms, verifySignature, did: identity.did, clock, resolveDid: (did) => resolveDidDocument(trust.didResolver, did) }),
    offers: offeringOfferCatalog(offeringRepository),
    clock,
    ids,
    self,
  };

  const delivery = deliveryOf({
    client: trust.client,
    callbacks: {
      negotiation: {
        confirm: (pid, outboxId, ack) => negotiation.confirmDelivery(negotiations, pid, outboxId, ack),
        abandon: (pid, outboxId, failure) => negotiation.abandonDelivery(negotiations, pid, outboxId, failure),
      },
      transfer: {
        confirm: async () => ok(undefined),
        abandon: async () => ok(undefined),
      },
    },
  });
  const worker: OutboxWorker = createOutboxWorker({
    store: sqlOutboxStore(db),
    ...delivery,
    clock,
    pollIntervalMs: wiring.options?.pollIntervalMs ?? 100,
    ...(wiring.options?.retry === undefined ? {} : { retry: wiring.options.retry }),
  });

  const authenticate = trust.authenticate;
  wiring.http.mount('/', versionRoutes({ basePath: DSP_BASE_PATH }));
  mountDspApi(wiring.http, {
    basePath: DSP_BASE_PATH,
    routes: [
      { path: '/catalog', errorType: 'CatalogError', router: catalogRoutes({ catalog: offeringCatalogService({ offerings: offeringRepository, policy, clock, self }), authenticate, dspBase: self.dspBase }) },
      { path: '/negotiations', errorType: 'ContractNegotiationError', router: negotiationRoutes({ deps: negotiations, authenticate }) },
    ],
  });

  const commands = dspCommands({ self, negotiations, offerings, remote: remoteDsp({ client: trust.client, fetch: wiring.fetch }), worker });
  return ok({
    ...commands,
    start() {
      if (wiring.options?.autoStartWorker ?? true) worker.start();
    },
    stop: () => worker.stop(),
  });
}
