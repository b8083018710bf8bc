/**
 * The encrypted data plane of a connector (issue 7), assembled from its capabilities: the
 * ciphertext store (`<dataDir>/ciphertext`), dataset and outbound-transfer records in the
 * connector's store, the provider's `DataPlaneControl` (handed to the DSP transfer process)
 * with its endpoints under `/dataplane` behind caller authentication and its pushes, and the
 * consumer's pull, push sinks (`/dataplane/inbound`), export and owner-held key release. The DSP records (agreements, transfers) are read from the
 * same store; the policy decider is the one the DSP face uses when passed in, else one built
 * from the same policy files and jurisdiction profiles.
 */
import { join } from 'node:path';
import { anonymisationReportVerifier, connectorAnonymisingTransform } from '../anonymise-flow/index.js';
import { sqlPrivacyBudget } from '../anonymise/index.js';
import type { StoreAuditLog } from '../audit/index.js';
import { uuidGenerator, type Clock, type IdGenerator } from '../clock/index.js';
import { verifyTransferReceipt } from '../compliance/index.js';
import type { ConnectorConfig } from '../config/index.js';
import {
  addDataset, createConsumerInbound, createDataPlaneRemote, createDirectoryStore, createProviderDataPlane, createSqlDatasetRepository,
  createSqlOutboundTransferRepository, createSqlSinkRepository, datasetMigrations, dataPlaneTransferMigrations, didPeerKeys, inboundRoutes,
  keyReleaseOfPolicy, loadBulkCrypto, openDataset, ownerKeyRelease, providerRoutes, pullTransfer, requestTransfer, shredDataset, sinkMigrations,
  type AddDatasetInput, type BulkCrypto, type CiphertextStore, type ConsumerInbound, type DatasetDeps, type DatasetRecord, type DatasetRepository, type DatasetTransform,
  type DspRecords, type InboundDeps, type OutboundFacts, type ProviderDataPlane, type PullProgress, type StartTransfer, type VerifiedOutput,
} from '../dataplane/index.js';
import { fail, ok, type Result } from '../errors/index.js';
import type { HttpApp } from '../http/index.js';
import type { ConnectorIdentity } from '../identity/index.js';
import { verifySignature, type FileKms } from '../kms/index.js';
import { createPolicyDecider } from '../negotiation-adapters/index.js';
import { createPolicyEngine, levelOfLabel, loadJurisdictionProfiles, loadPolicyVocabulary, type JurisdictionProfiles } from '../policy/index.js';
import type { Database, Migration } from '../store/index.js';
import { createSqlNegotiationRepository, createSqlOfferingRepository, createSqlTransferRepository } from '../store/repositories/index.js';
import { isPushFormat, type DataPlaneControl, type TransferProcess } from '../transfer/index.js';
import type { ConnectorTrust } from './membership-wiring.js';

/** The data plane's own tables: dataset records, outbound transfers, key releases, revocations, push sinks. */
export const dataPlaneMigrations: readonly Migration[] = [...datasetMigrations, ...dataPlaneTransferMigrations, ...sinkMigrations];

export const DATA_PLANE_PATH = '/dataplane';

export interface DataPlaneWiringOptions {
  http: HttpApp;
  config: ConnectorConfig;
  db: Database;
  kms: FileKms;
  audit: StoreAuditLog;
  identity: ConnectorIdentity;
  trust: Pick<ConnectorTrust, 'didResolver' | 'membership' | 'authenticate'>;
  clock: Clock;
  ids: IdGenerator;
  /** The DSP face's records and decider; by default read from `db` with a decider of our own. */
  dsp?: Partial<DspRecords>;
  /** Performs agreement duties; default: the anonymising transform (src/anonymise-flow), which refuses any other duty. */
  transform?: DatasetTransform;
  crypto?: BulkCrypto;
  /**
   * The DSP transfer commands (consumer side): `receive` reads a transfer and completes it after
   * the pull; a push sink completes its transfer once the data is kept, or terminates it on a
   * refusal; `start` requests a transfer (with a sink of ours for a push format).
   */
  transfers: {
    get(id: string): Promise<TransferProcess | undefined>;
    complete(id: string): Promise<Result<TransferProcess>>;
    terminate(id: string, why: { code: string; reason: string[] }): Promise<Result<TransferProcess>>;
    start: StartTransfer;
  };
  /** Outbound HTTP to other data planes (default global fetch). */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /** Ends pushes in flight when the connector stops (streamed uploads do not go through `fetch`). */
  signal?: AbortSignal;
}

export interface ConnectorDataPlane {
  /** Hand this to the DSP transfer process (`TransferDeps.dataPlane`). */
  readonly control: DataPlaneControl;
  readonly provider: ProviderDataPlane;
  readonly datasets: DatasetRepository;
  readonly store: CiphertextStore;
  addDataset(input: AddDatasetInput): Promise<Result<DatasetRecord>>;
  /** Decrypts a dataset; owner-held data asks its owner for a one-time release for `purpose`. */
  openDataset(id: string, options?: { purpose?: string }): Promise<Result<VerifiedOutput>>;
  shredDataset(id: string, actor?: string): Promise<Result<DatasetRecord>>;
  /** Consumer: pulls a STARTED pull transfer we requested, verifies, keeps the key as the offer says, returns a receipt. */
  pull(transfer: TransferProcess, onProgress?: (progress: PullProgress) => void): Promise<Result<DatasetRecord>>;
  /**
   * Consumer: pulls transfer `id` and, only once digest, signature and key checked out and the
   * provider took our signed receipt, sends the DSP completion (the transfer becomes COMPLETED).
   */
  receive(id: string, onProgress?: (progress: PullProgress) => void): Promise<Result<DatasetRecord>>;
  /** Consumer: requests a transfer; a push format without a DataAddress gets a sink of ours (`HttpData-PUSH`). */
  requestTransfer: StartTransfer;
  /** Consumer: a push transfer of ours ended without its data: its sink closes (after the call in progress) and what arrived is deleted. */
  closeSink(transferId: string): Promise<void>;
  /** Consumer, at start: binds the sink of a push transfer of ours the stop left unbound, completes one whose data was kept. */
  recoverSink(transfer: TransferProcess): Promise<Result<unknown>>;
}

function policyFiles(): Result<{ engine: ReturnType<typeof createPolicyEngine>; profiles: JurisdictionProfiles }> {
  const vocabulary = loadPolicyVocabulary();
  if (!vocabulary.ok) return vocabulary;
  const profiles = loadJurisdictionProfiles();
  return profiles.ok ? ok({ engine: createPolicyEngine({ vocabulary: vocabulary.value }), profiles: profiles.value }) : profiles;
}

export async function wireDataPlane(options: DataPlaneWiringOptions): Promise<Result<ConnectorDataPlane>> {
  const { config, db, kms, audit, identity, trust, clock, ids } = options;
  const files = policyFiles();
  if (!files.ok) return files;
  const crypto = options.crypto ?? (await loadBulkCrypto());
  const store = await createDirectoryStore({ dir: join(config.dataDir, 'ciphertext') });
  const datasets = createSqlDatasetRepository(db);
  const offerings = createSqlOfferingRepository({ db });
  const dsp: DspRecords = {
    transfers: options.dsp?.transfers ?? createSqlTransferRepository({ db }),
    negotiations: options.dsp?.negotiations ?? createSqlNegotiationRepository({ db }),
    policy: options.dsp?.policy ?? createPolicyDecider({ ...files.value, provider: config.partner, datasetFacts: (target) => offerings.get(target) }),
  };
  const peers = didPeerKeys(trust.didResolver);
  const claimsOf = (did: string) => trust.membership.claimsFor(did) as Promise<Result<Readonly<Record<string, unknown>>>>;
  const self = { did: identity.did, dataPlaneBase: `${config.publicBaseUrl.replace(/\/+$/, '')}${DATA_PLANE_PATH}` };
  const remote = createDataPlaneRemote({ did: identity.did, kms, clock, ids, ...(options.fetch === undefined ? {} : { fetch: options.fetch }), ...(options.signal === undefined ? {} : { signal: options.signal }) });
  const provider = createProviderDataPlane({
    ...dsp,
    self,
    remote,
    kms,
    crypto,
    store,
    datasets,
    records: createSqlOutboundTransferRepository(db),
    peers,
    claimsOf,
    keyReleaseOf: async (offeringId) => keyReleaseOfPolicy((await offerings.get(offeringId))?.policy.document),
    transform: options.transform ?? connectorAnonymisingTransform({ kms, store, crypto, clock, ids, did: identity.did, offerings, configFile: config.configFile, budget: sqlPrivacyBudget(db) }),
    facts: outboundFacts(files.value.profiles, config.partner, (id) => offerings.get(id)),
    verifyReceipt: (receipt) => verifyTransferReceipt(receipt, { documentLoader: identity.documentLoader, verifySignature }),
    audit,
    clock,
    ids,
  });
  options.http.mount(DATA_PLANE_PATH, providerRoutes({ dataPlane: provider, authenticate: trust.authenticate, maxBodyBytes: config.limits.dspBodyBytes }));
  const consumer: InboundDeps = {
    self, kms, crypto, store, datasets, peers, remote, audit, clock, ids,
    verifyReport: anonymisationReportVerifier((didUrl) => peers.signingKey(didUrl)),
    sinks: createSqlSinkRepository(db),
    transfers: options.transfers,
  };
  const inbound = createConsumerInbound(consumer);
  options.http.mount(`${DATA_PLANE_PATH}/inbound`, inboundRoutes({ inbound, authenticate: trust.authenticate, maxBodyBytes: config.limits.dspBodyBytes }));
  return ok({ control: provider.control, provider, datasets, store, ...consumerSide(options, consumer, inbound, dsp) });
}

/** What the consumer side offers: datasets (added, opened, shredded), pulls, transfer requests with push sinks. */
function consumerSide(options: DataPlaneWiringOptions, consumer: InboundDeps, inbound: ConsumerInbound, dsp: DspRecords) {
  const { kms, audit, clock, identity } = options;
  // Dataset ids travel in container headers to consumers: random, so they do not tell when data was added (timeOrderedIds).
  const datasetDeps: DatasetDeps = { repository: consumer.datasets, store: consumer.store, crypto: consumer.crypto, kms, audit, clock, ids: uuidGenerator, did: identity.did };
  const providerOf = async (agreementId: string) => {
    const negotiation = await dsp.negotiations.findByAgreementId(agreementId);
    return negotiation?.role === 'consumer' ? negotiation.counterpartyDid : undefined;
  };
  return {
    addDataset: (input: AddDatasetInput) => addDataset(datasetDeps, input),
    openDataset: (id: string, open?: { purpose?: string }) => openDataset(datasetDeps, id, ownerKeyRelease(consumer, open?.purpose)),
    shredDataset: (id: string, actor?: string) => shredDataset(datasetDeps, id, actor),
    pull: (transfer: TransferProcess, onProgress?: (progress: PullProgress) => void) => pullOf(consumer, transfer, onProgress),
    receive: (id: string, onProgress?: (progress: PullProgress) => void) => receive(consumer, options.transfers, id, onProgress),
    requestTransfer: (input: Parameters<StartTransfer>[0]) => requestTransfer(consumer, options.transfers.start, providerOf, input),
    closeSink: (transferId: string) => inbound.close(transferId),
    recoverSink: (transfer: TransferProcess) => inbound.recover(transfer),
  };
}

async function receive(consumer: InboundDeps, transfers: DataPlaneWiringOptions['transfers'], id: string, onProgress?: (progress: PullProgress) => void): Promise<Result<DatasetRecord>> {
  const transfer = await transfers.get(id);
  if (transfer === undefined) return fail('SOV_TRANSFER_NOT_FOUND', `no transfer process ${id}`);
  const received = await pullOf(consumer, transfer, onProgress);
  if (!received.ok) return received;
  const completed = await transfers.complete(id);
  return completed.ok ? received : completed;
}

async function pullOf(consumer: InboundDeps, transfer: TransferProcess, onProgress?: (progress: PullProgress) => void): Promise<Result<DatasetRecord>> {
  if (transfer.role !== 'consumer' || transfer.providerPid === undefined || transfer.state !== 'STARTED') {
    return fail('SOV_DATAPLANE_TRANSFER_NOT_ACTIVE', `transfer ${transfer.id} is not a STARTED transfer we requested`);
  }
  if (isPushFormat(transfer.format)) {
    const kept = await consumer.datasets.findReceived(transfer.providerPid);
    return kept !== undefined ? ok(kept) : fail('SOV_DATAPLANE_PUSH_AWAITED', `transfer ${transfer.id} is a push: the provider sends the data and the transfer completes once it has arrived and checked out`);
  }
  return pullTransfer(consumer, {
    transferId: transfer.id,
    providerTransferId: transfer.providerPid,
    agreementId: transfer.agreementId,
    providerDid: transfer.counterpartyDid,
    dataAddress: transfer.dataAddress,
    ...(onProgress === undefined ? {} : { onProgress }),
  });
}

/** Compliance facts: the offering's classification on our profile's common scale, the recipient's nation. */
function outboundFacts(profiles: JurisdictionProfiles, partner: string, offeringOf: (id: string) => Promise<{ classification: string } | undefined>): OutboundFacts {
  const profile = profiles.byPartner.get(partner);
  return async ({ offeringId, consumerClaims }) => {
    const label = (await offeringOf(offeringId))?.classification ?? 'UNCLASSIFIED';
    const nation = consumerClaims['jurisdiction'];
    return {
      // An unknown label never passes the policy decision (fail closed), so level 0 here only labels a refusal.
      classification: { label, level: (profile === undefined ? undefined : levelOfLabel(profile, label)) ?? 0 },
      recipientJurisdiction: typeof nation === 'string' && /^[a-z]{2,8}$/i.test(nation) ? nation.toLowerCase() : 'unknown',
    };
  };
}
