/**
 * The management API of a connector (issue 6 "Management API"): the /api routers built from
 * the connector's capabilities — identity, offerings and the DSP commands (catalogues,
 * negotiations, transfers), agreements with their signatures checked by the kms agreement
 * signer, contract templates, the audit trail, and who started which process (a table of
 * its own) — behind bearer auth with the admin and researcher tokens, each
 * first login of a token in a window recorded as an `admin.login` audit entry, and the
 * OpenAPI document served at /api/openapi.json without a token.
 */
import type { StoreAuditLog } from '../audit/index.js';
import type { Clock } from '../clock/index.js';
import type { ConnectorConfig, ConnectorSecrets } from '../config/index.js';
import { fail, ok, type Result } from '../errors/index.js';
import { createBearerAuth, mountManagementApi, type HttpApp, type LoginEvent } from '../http/index.js';
import { complianceRouter, datasetsRouter, datasetUploadRouter, describeIdentity, federatedCatalogRouter, type ComplianceReports, managementRouters, processOwnerMigrations, sqlProcessOwners, type DatasetCommands, type FederatedCatalogCommands, type PullProgressView, type ReceivedData } from '../http/management/index.js';
import { openApiRouter } from '../http/openapi/index.js';
import { resolveDidDocument } from '../identity/index.js';
import { verifySignature, type FileKms } from '../kms/index.js';
import { createAgreementSigner } from '../negotiation-adapters/index.js';
import { buildEvidencePack, renderEvidencePackHtml } from '../compliance/index.js';
import type { ConnectorIdentity } from '../identity/index.js';
import { loadContractTemplates, loadJurisdictionProfiles, type JurisdictionProfile } from '../policy/index.js';
import type { Database } from '../store/index.js';
import { createSqlNegotiationRepository } from '../store/repositories/index.js';
import type { ConnectorDataPlane } from './dataplane-wiring.js';
import type { ConnectorDsp } from './dsp-wiring.js';
import type { ConnectorTrust } from './membership-wiring.js';

export interface ManagementWiringOptions {
  http: HttpApp;
  config: ConnectorConfig;
  secrets: Pick<ConnectorSecrets, 'adminToken' | 'researcherToken'>;
  did: string;
  kms: FileKms;
  db: Database;
  audit: StoreAuditLog;
  trust: Pick<ConnectorTrust, 'held' | 'didResolver'>;
  dsp: ConnectorDsp;
  federatedCatalog: FederatedCatalogCommands;
  /** Datasets (local and received) and outbound transfers for /api/datasets and /api/outbound-transfers; pull progress from the ciphertext store. */
  dataPlane: Pick<ConnectorDataPlane, 'datasets' | 'addDataset' | 'openDataset' | 'shredDataset' | 'provider' | 'store'>;
  /** The consumer's data plane (pulls, received datasets, export) for /api/transfers/:id/{receive,report,data}. */
  received: ReceivedData;
  /** Signs compliance evidence packs. */
  identity: Pick<ConnectorIdentity, 'did' | 'issue'>;
  clock: Clock;
}

/** Evidence packs of this connector's audit trail under its own jurisdiction profile (issue 5). */
function complianceReports(options: ManagementWiringOptions, profile: JurisdictionProfile): ComplianceReports {
  return {
    async report({ since, partner }) {
      const built = await buildEvidencePack({ audit: options.audit, identity: options.identity, profile, since, clock: options.clock, ...(partner === undefined ? {} : { partner }) });
      return built.ok ? ok({ credential: built.value.credential, html: renderEvidencePackHtml(built.value) }) : built;
    },
  };
}

/** `admin.login`: which token (its fingerprint, never the token), its role, and from where. */
function loginAuditor(audit: StoreAuditLog) {
  return async (event: LoginEvent): Promise<void> => {
    const details: Record<string, string> = { role: event.role };
    if (event.remoteAddress !== undefined) details['remoteAddress'] = event.remoteAddress;
    if (event.userAgent !== undefined) details['userAgent'] = event.userAgent;
    await audit.record({ actor: `admin:${event.role}-${event.tokenId}`, type: 'admin.login', subjects: [event.tokenId], details });
  };
}

/** Agreements as the negotiation store holds them (read only), their signatures checked with the kms signer's verify. */
function agreementRecords(options: ManagementWiringOptions) {
  const { did, kms, clock, trust } = options;
  const negotiations = createSqlNegotiationRepository({ db: options.db });
  const signer = createAgreementSigner({ kms, verifySignature, did, clock, resolveDid: (other) => resolveDidDocument(trust.didResolver, other) });
  return { selfDid: did, findByAgreementId: negotiations.findByAgreementId, verify: signer.verify };
}

/** The data plane as the datasets routes use it; an upload names an offering we have. */
function datasetCommands(dataPlane: ManagementWiringOptions['dataPlane'], offerings: ConnectorDsp['offerings']): DatasetCommands {
  return {
    add: async (input) =>
      (await offerings.get(input.offeringId)) === undefined ? fail('SOV_OFFERING_NOT_FOUND', `No offering ${input.offeringId}`, { id: input.offeringId }) : dataPlane.addDataset(input),
    list: () => dataPlane.datasets.list(),
    get: (id) => dataPlane.datasets.get(id),
    open: (id, open) => dataPlane.openDataset(id, open),
    shred: (id, actor) => dataPlane.shredDataset(id, actor),
    outbound: (id) => dataPlane.provider.outbound(id),
  };
}

/**
 * A consumer pull's progress as observable from outside the pull: the received dataset once
 * stored (its container is whole), else the container bytes pending under the transfer id.
 */
function pullProgress(dataPlane: ManagementWiringOptions['dataPlane']) {
  return async (transferId: string): Promise<PullProgressView | undefined> => {
    const received = await dataPlane.datasets.get(transferId);
    if (received !== undefined) return { bytes: received.size, total: received.size };
    const pending = await dataPlane.store.pendingSize(transferId);
    return pending === undefined ? undefined : { bytes: pending };
  };
}

export async function wireManagement(options: ManagementWiringOptions): Promise<Result<void>> {
  const { config, audit, dsp, clock } = options;
  const profiles = loadJurisdictionProfiles();
  if (!profiles.ok) return profiles;
  const profile = profiles.value.byPartner.get(config.partner);
  if (profile === undefined) return fail('SOV_CONFIG_INVALID', `no jurisdiction profile for partner ${config.partner} (connectors/${config.partner}/jurisdiction.json)`);
  const templates = loadContractTemplates();
  if (!templates.ok) return templates;
  await options.db.migrate(processOwnerMigrations);

  const auth = createBearerAuth({
    tokens: [
      { role: 'admin', token: options.secrets.adminToken.reveal() },
      { role: 'researcher', token: options.secrets.researcherToken.reveal() },
    ],
    clock,
    onLogin: loginAuditor(audit),
  });
  const routers = managementRouters({
    describeIdentity: () => describeIdentity({ did: options.did, config, kms: options.kms, held: options.trust.held, clock }),
    offerings: dsp.offerings,
    profile,
    templates: templates.value,
    audit,
    catalogs: dsp,
    negotiations: dsp.negotiations,
    agreements: agreementRecords(options),
    transfers: dsp.transfers,
    received: options.received,
    pullProgress: pullProgress(options.dataPlane),
    owners: sqlProcessOwners(options.db),
  });
  // The document first and without a token; every other /api route goes through auth.
  options.http.mount('/api', openApiRouter());
  const commands = datasetCommands(options.dataPlane, dsp.offerings);
  const datasets = datasetsRouter({ datasets: commands, owners: sqlProcessOwners(options.db) });
  mountManagementApi(options.http, {
    auth,
    streamRouters: [datasetUploadRouter({ datasets: commands })],
    routers: [...routers, federatedCatalogRouter({ catalogue: options.federatedCatalog }), complianceRouter({ reports: complianceReports(options, profile) }), datasets],
  });
  return ok(undefined);
}
