/**
 * The management API under /api (issue 6 "Management API"): one express router per resource —
 * identity, offerings, contract templates, audit trail, remote catalogues, negotiations,
 * agreements, transfers —
 * each validating its input with a zod schema before the connector sees it and answering
 * failures as RFC 9457 problem+json from the error catalogue. Admin-only routes say so with
 * `requireRole('admin')`; researchers start processes for themselves and see only their own
 * (`ProcessOwners`). The composition root satisfies the ports with the connector's commands;
 * src/http/openapi describes every route.
 */
import type { Router } from 'express';
import type { AuditLog } from '../../audit/index.js';
import type { JurisdictionProfile, TemplateCatalogue } from '../../policy/index.js';
import { agreementsRouter } from './agreements-router.js';
import { auditRouter } from './audit-router.js';
import { catalogRouter } from './catalog-router.js';
import { identityRouter } from './identity-router.js';
import type { IdentitySummary } from './identity-summary.js';
import { negotiationsRouter } from './negotiations-router.js';
import { offeringsRouter } from './offerings-router.js';
import { receivedDataRouter } from './received-data-router.js';
import type { AgreementRecords, NegotiationCommands, OfferingCommands, ProcessOwners, ReceivedData, RemoteCatalogs, TransferCommands } from './ports.js';
import { templatesRouter } from './templates-router.js';
import { transfersRouter, type PullProgressView } from './transfers-router.js';

export { describeIdentity, type IdentitySummary, type IdentitySummaryOptions } from './identity-summary.js';
export { processOwnerMigrations, sqlProcessOwners } from './process-owners.js';
export { complianceRouter, complianceReportQuerySchema, type ComplianceReports } from './compliance-router.js';
export { federatedCatalogRouter, federatedSearchQuerySchema, type FederatedCatalogCommands } from './federated-catalog-router.js';
export { datasetsRouter, datasetView, outboundView, datasetContentQuerySchema, type DatasetCommands, type DatasetView } from './datasets-router.js';
export { datasetUploadRouter, datasetUploadQuerySchema, DEFAULT_DATASET_UPLOAD_BYTES } from './dataset-upload-router.js';
export type { PullProgressView } from './transfers-router.js';
export * from './schemas.js';
export type { OfferingCommands, RemoteCatalogs, NegotiationCommands, AgreementRecords, TransferCommands, ProcessOwners, PartnerRef, Page, ProcessListQuery, ReceivedData } from './ports.js';
export type { AgreementView } from './agreements-router.js';

export interface ManagementRoutersOptions {
  describeIdentity: () => Promise<IdentitySummary>;
  offerings: OfferingCommands;
  /** This partner's jurisdiction profile (offering classifications are its labels). */
  profile: JurisdictionProfile;
  templates: Pick<TemplateCatalogue, 'list'>;
  audit: Pick<AuditLog<unknown>, 'search' | 'verify'>;
  catalogs: RemoteCatalogs;
  negotiations: NegotiationCommands;
  agreements: AgreementRecords;
  transfers: TransferCommands;
  /** The consumer's data plane: pull a started transfer, its dataset, report and plaintext. */
  received: ReceivedData;
  /** Read only: how far the pull of a consumer transfer got (shown on GET /transfers/:id). */
  pullProgress?: (transferId: string) => Promise<PullProgressView | undefined>;
  owners: ProcessOwners;
}

export function managementRouters(options: ManagementRoutersOptions): Router[] {
  const { catalogs, owners } = options;
  return [
    identityRouter({ describe: options.describeIdentity }),
    offeringsRouter({ offerings: options.offerings, profile: options.profile }),
    templatesRouter({ templates: options.templates }),
    auditRouter({ audit: options.audit }),
    catalogRouter({ catalogs }),
    negotiationsRouter({ negotiations: options.negotiations, catalogs, owners }),
    agreementsRouter({ negotiations: options.negotiations, agreements: options.agreements, owners }),
    transfersRouter({ transfers: options.transfers, agreements: options.agreements, owners, ...(options.pullProgress === undefined ? {} : { pullProgress: options.pullProgress }) }),
    receivedDataRouter({ received: options.received, owners }),
  ];
}
