/**
 * The one composition root (conventions §3): builds a connector from its validated config
 * and secrets by handing each capability its collaborators. Nothing else constructs
 * adapters; tests build whole connectors in-process through this function.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock, timeOrderedIds, type Clock, type IdGenerator } from '../clock/index.js';
import type { ConnectorConfig, ConnectorSecrets } from '../config/index.js';
import { fail, ok, type Result } from '../errors/index.js';
import { auditMigrations, createStoreAuditLog, kmsAuditSigner, type StoreAuditLog } from '../audit/index.js';
import { prepareDspValidation } from '../dsp/index.js';
import { createHttpApp, createLogger, listen, type HttpApp, type Logger, type RunningServer } from '../http/index.js';
import {
  createConnectorIdentity,
  createJsonFileStatusListRepository,
  shippedJsonLdContexts,
  type ConnectorIdentity,
  type FetchLike,
} from '../identity/index.js';
import { createFileKms, DEFAULT_KDF_PARAMS, keystoreExists, verifySignature, type FileKms, type KdfParams } from '../kms/index.js';
import { loadJurisdictionProfiles } from '../policy/index.js';
import { openDatabase, type Database, type Migration } from '../store/index.js';
import { replayCacheMigrations } from '../trust/index.js';
import { privacyBudgetMigrations } from '../anonymise/index.js';
import { mountConsole } from './console-wiring.js';
import { auditEnforcedConfiguration } from './config-audit.js';
import { mountIdentity } from './identity-wiring.js';
import { offeringCredentials } from './offering-credentials.js';
import { dspMigrations, wireDsp, type ConnectorDsp, type DspOptions } from './dsp-wiring.js';
import { wireMembership, type ConnectorTrust } from './membership-wiring.js';
import { wireManagement } from './management-wiring.js';
import { dataPlaneMigrations, wireDataPlane, type ConnectorDataPlane } from './dataplane-wiring.js';
import type { FederatedCatalogue } from '../catalog/federated/index.js';
import { wireFederatedCatalog, type FederatedCatalogOptions } from './federated-catalog-wiring.js';
import { abortableFetch, createConsumerPulls, type ConsumerPulls } from './consumer-pulls.js';
import { createDataPlanePushes, type DataPlanePushes } from './dataplane-pushes.js';

export interface ConnectorOptions {
  config: ConnectorConfig;
  secrets: ConnectorSecrets;
  clock?: Clock;
  ids?: IdGenerator;
  /** Outbound HTTP (DID documents, status lists, other connectors); default global fetch. */
  fetch?: FetchLike;
  logger?: Logger;
  /** Argon2id cost for a new keystore (tests pass the minimum). */
  kdf?: KdfParams;
  /** The DSP face's outbox worker (tests drain it by hand). */
  dsp?: DspOptions;
  /** SQLite commit durability: `full` (default: durable on disk before any caller is told, group-committed) or `normal` (throw-away test stores). */
  sqliteSynchronous?: 'full' | 'normal';
  /** The federated catalogue's crawl schedule and timeouts (tests turn the schedule off). */
  federatedCatalog?: FederatedCatalogOptions;
  /**
   * The consumer's pulls: `automatic` (default true unless `dsp.dataPlane` replaces our data plane)
   * pulls each transfer we requested once it is STARTED; `concurrency` pulls at once (default 2).
   */
  consumerPulls?: { automatic?: boolean; concurrency?: number };
  /** The provider's pushes: `automatic` (default true unless `dsp.dataPlane` replaces our data plane) pushes each push transfer once STARTED. */
  pushes?: { automatic?: boolean; retryDelayMs?: number };
}

export interface Connector {
  readonly config: ConnectorConfig;
  readonly did: string;
  readonly kms: FileKms;
  readonly db: Database;
  readonly audit: StoreAuditLog;
  readonly identity: ConnectorIdentity;
  readonly http: HttpApp;
  readonly clock: Clock;
  /** Federation trust: held membership credential, caller verification, signed outbound calls. */
  readonly trust: ConnectorTrust;
  /** The Dataspace Protocol face: offerings, remote catalogues, negotiations (see dsp-commands.ts). */
  readonly dsp: ConnectorDsp;
  /** The encrypted data plane: datasets, the provider's transfer endpoints, the consumer's pull (dataplane-wiring.ts). */
  readonly dataPlane: ConnectorDataPlane;
  /** Partners' catalogues crawled into a local index, and search over it (federated-catalog-wiring.ts). */
  readonly federatedCatalog: FederatedCatalogue;
  /** The consumer's background pulls (consumer-pulls.ts); `dataPlane.receive` joins them. */
  readonly consumerPulls: ConsumerPulls;
  /** The provider's background pushes, and the closing of our sinks of terminated pushes (dataplane-pushes.ts). */
  readonly pushes: DataPlanePushes;
  /** Binds the HTTP server; resolves with its address. */
  start(): Promise<Result<RunningServer>>;
  /** Stops serving, signs a final audit checkpoint, closes the store and wipes keys from memory. */
  stop(): Promise<void>;
}

/** Every capability's tables, in dependency order; each capability counts its own versions. */
export const connectorMigrations: readonly Migration[] = [...auditMigrations, ...replayCacheMigrations, ...dspMigrations, ...dataPlaneMigrations, ...privacyBudgetMigrations];

async function openKms(options: ConnectorOptions, clock: Clock): Promise<Result<{ kms: FileKms; created: boolean }>> {
  const path = join(options.config.dataDir, 'keystore.sealed');
  const created = !(await keystoreExists(path));
  const kms = await createFileKms({ path, passphrase: options.secrets.keystorePassphrase.reveal(), clock, kdf: options.kdf ?? DEFAULT_KDF_PARAMS });
  return kms.ok ? ok({ kms: kms.value, created }) : kms;
}

function databaseUrl(config: ConnectorConfig): string {
  return config.databaseUrl ?? join(config.dataDir, 'connector.db');
}

/** Records the keys a new keystore was born with, so the audit trail starts with them. */
async function auditNewKeys(audit: StoreAuditLog, kms: FileKms, did: string): Promise<void> {
  for (const key of kms.listKeys().filter((k) => k.kind === 'signing' || k.kind === 'agreement')) {
    await audit.record({ actor: did, type: 'key.created', subjects: [key.keyId], details: { kind: key.kind, algorithm: key.algorithm } });
  }
}

export async function createConnector(options: ConnectorOptions): Promise<Result<Connector>> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? timeOrderedIds(clock);
  try {
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    return fail('SOV_CONFIG_INVALID', `cannot create data directory ${config.dataDir}: ${(error as Error).message}`);
  }
  const opened = await openKms(options, clock);
  if (!opened.ok) return opened;
  const { kms } = opened.value;
  const db = await openDatabase(databaseUrl(config), options.sqliteSynchronous === undefined ? {} : { synchronous: options.sqliteSynchronous });
  await db.migrate(connectorMigrations);
  const audit = createStoreAuditLog({ db, signer: kmsAuditSigner(kms, verifySignature), clock });

  const identity = createConnectorIdentity({
    baseUrl: config.publicBaseUrl,
    kms,
    clock,
    contexts: shippedJsonLdContexts(),
    statusListRepository: createJsonFileStatusListRepository({ path: join(config.dataDir, 'status-lists.json') }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  if (opened.value.created) await auditNewKeys(audit, kms, identity.did);
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const http = createHttpApp({ logger, limits: config.limits });
  const startedAt = clock.now();
  const fetchLike = options.fetch ?? ((url: string, init?: RequestInit) => fetch(url, init));
  const trust = wireMembership({ config, identity, kms, db, clock, ids, audit, fetch: fetchLike });
  const profiles = loadJurisdictionProfiles();
  if (!profiles.ok) return profiles;
  const profile = profiles.value.byPartner.get(config.partner);
  const regime = profile?.dataProtection.label;
  await auditEnforcedConfiguration(audit, identity.did, [
    { type: 'trustlist.changed', subject: config.configFile, value: config.trustList, details: { registrars: config.trustList.map((entry) => entry.did) } },
    { type: 'profile.changed', subject: `connectors/${config.partner}/jurisdiction.json`, value: profile ?? null, details: { partner: config.partner, regime: regime ?? null } },
  ]);
  mountConsole({ http });
  const dsp = wireDsp({ http, config, db, kms, audit, identity, trust, clock, ids, fetch: fetchLike, ...(options.dsp === undefined ? {} : { options: options.dsp }) });
  if (!dsp.ok) return dsp;
  const dataProtectionRegime = regime === undefined ? [] : [regime];
  mountIdentity({
    http,
    identity,
    config,
    clock,
    startedAt,
    ids,
    audit,
    answerPresentationQuery: trust.answerPresentationQuery,
    dataProtectionRegime,
    offeringCredentials: offeringCredentials({ identity, clock, audit, dataProtectionRegime, list: dsp.value.offerings.list }),
  });
  // Aborted at stop: a pull or push cut there keeps its verified bytes and resumes at the next start.
  const outbound = new AbortController();
  const dataPlane = await wireDataPlane({ http, config, db, kms, audit, identity, trust, clock, ids, transfers: dsp.value.transfers, fetch: abortableFetch(outbound.signal), signal: outbound.signal });
  if (!dataPlane.ok) return dataPlane;
  if (options.dsp?.dataPlane === undefined) dsp.value.useDataPlane(dataPlane.value.control);
  const pulls = createConsumerPulls({
    transfers: dsp.value.transfers,
    pull: dataPlane.value.pull,
    datasets: dataPlane.value.datasets,
    logger,
    automatic: options.consumerPulls?.automatic ?? options.dsp?.dataPlane === undefined,
    ...(options.consumerPulls?.concurrency === undefined ? {} : { concurrency: options.consumerPulls.concurrency }),
  });
  dsp.value.onTransferCommitted(pulls.notice);
  const pushes = createDataPlanePushes({
    transfers: dsp.value.transfers,
    push: dataPlane.value.provider.push,
    closeSink: dataPlane.value.closeSink,
    recoverSink: dataPlane.value.recoverSink,
    logger,
    automatic: options.pushes?.automatic ?? options.dsp?.dataPlane === undefined,
    ...(options.pushes?.retryDelayMs === undefined ? {} : { retryDelayMs: options.pushes.retryDelayMs }),
  });
  dsp.value.onTransferCommitted(pushes.notice);
  // A push format requested without a sink gets one of our data plane (its DataAddress goes in the request).
  const dspFace: ConnectorDsp = { ...dsp.value, transfers: { ...dsp.value.transfers, start: dataPlane.value.requestTransfer } };
  const federatedCatalog = await wireFederatedCatalog({ config, did: identity.did, db, clock, trust, dsp: dsp.value, fetch: fetchLike, ...(options.federatedCatalog === undefined ? {} : { options: options.federatedCatalog }) });
  if (!federatedCatalog.ok) return federatedCatalog;
  const received = { receive: (id: string) => pulls.receive(id), dataset: (id: string) => dataPlane.value.datasets.get(id), open: (id: string) => dataPlane.value.openDataset(id) };
  const management = await wireManagement({ http, config, secrets: options.secrets, did: identity.did, identity, kms, db, audit, trust, dsp: dspFace, federatedCatalog: federatedCatalog.value, received, dataPlane: dataPlane.value, clock });
  if (!management.ok) return management;

  let server: RunningServer | undefined;
  return ok({
    config,
    did: identity.did,
    kms,
    db,
    audit,
    identity,
    http,
    clock,
    trust,
    dsp: dspFace,
    dataPlane: { ...dataPlane.value, receive: pulls.receive },
    federatedCatalog: federatedCatalog.value,
    consumerPulls: pulls,
    pushes,
    async start() {
      // Before the port opens, so no partner's first message waits for it.
      prepareDspValidation();
      const bound = await listen(http, { host: config.host, port: config.port });
      if (bound.ok) {
        server = bound.value;
        await dsp.value.start();
        federatedCatalog.value.start();
        await pulls.resumeInterrupted();
        await pushes.resumeInterrupted();
      }
      return bound;
    },
    async stop() {
      await federatedCatalog.value.stop();
      outbound.abort();
      await pulls.stop();
      await pushes.stop();
      await dsp.value.stop();
      await server?.close({ graceMs: 2_000 });
      await audit.checkpoint();
      await db.close();
      kms.close();
    },
  });
}
