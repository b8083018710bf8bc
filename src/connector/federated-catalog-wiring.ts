/**
 * The federated catalogue of a connector (issue 9), wired from its capabilities: the member
 * directories of the registrars in its trust list, the trust layer's membership verifier, the
 * DSP face's authenticated catalogue fetch (DID document `DataService` → version discovery →
 * catalogue pages), the store table of last good copies, and the contract templates offers are
 * recognised by. Crawls start with the connector (first after `initialDelayMs`, then every
 * `intervalMs`) unless `autoStart` is false; `refresh()` crawls on demand.
 */
import type { Clock } from '../clock/index.js';
import {
  createFederatedCatalogue,
  createSqlFederatedCatalogueStore,
  dspCatalogueSource,
  federatedCatalogueMigrations,
  membershipPartnerVerifier,
  registrarDirectory,
  systemTimer,
  type FederatedCatalogue,
  type Timer,
} from '../catalog/federated/index.js';
import type { ConnectorConfig } from '../config/index.js';
import { ok, type Result } from '../errors/index.js';
import { resolveDidDocument, type FetchLike } from '../identity/index.js';
import { loadContractTemplates } from '../policy/index.js';
import type { Database } from '../store/index.js';
import type { ConnectorDsp } from './dsp-commands.js';
import type { ConnectorTrust } from './membership-wiring.js';

export interface FederatedCatalogOptions {
  /** Start crawling with the connector (default true). */
  autoStart?: boolean;
  /** Between crawls (ms); default 5 minutes. */
  intervalMs?: number;
  /** From start to the first crawl (ms); default 30 s, so partners started alongside are up. */
  initialDelayMs?: number;
  /** Per partner (ms); default 5 s. */
  timeoutMs?: number;
  /** A copy is stale after this many intervals without a good crawl; default 3. */
  staleIntervals?: number;
  timer?: Timer;
}

export interface FederatedCatalogWiringOptions {
  config: ConnectorConfig;
  did: string;
  db: Database;
  clock: Clock;
  trust: Pick<ConnectorTrust, 'membership' | 'didResolver'>;
  dsp: Pick<ConnectorDsp, 'fetchCatalog'>;
  fetch: FetchLike;
  options?: FederatedCatalogOptions;
}

/** Each contract template instantiated with its example parameters: their shapes name offers' templates. */
function templateDocuments(): Result<Array<{ name: string; document: Record<string, unknown> }>> {
  const templates = loadContractTemplates();
  if (!templates.ok) return templates;
  const documents: Array<{ name: string; document: Record<string, unknown> }> = [];
  for (const info of templates.value.list()) {
    const document = templates.value.instantiate(info.name, info.example);
    if (!document.ok) return document;
    documents.push({ name: info.name, document: document.value });
  }
  return ok(documents);
}

export async function wireFederatedCatalog(wiring: FederatedCatalogWiringOptions): Promise<Result<FederatedCatalogue>> {
  const templates = templateDocuments();
  if (!templates.ok) return templates;
  await wiring.db.migrate(federatedCatalogueMigrations);
  const settings = wiring.options ?? {};
  const catalogue = createFederatedCatalogue({
    selfDid: wiring.did,
    directory: registrarDirectory({ registrars: wiring.config.trustList.map((entry) => entry.did), fetch: wiring.fetch }),
    verifier: membershipPartnerVerifier(wiring.trust.membership),
    source: dspCatalogueSource({ resolveDid: (did) => resolveDidDocument(wiring.trust.didResolver, did), fetchCatalog: wiring.dsp.fetchCatalog }),
    store: createSqlFederatedCatalogueStore(wiring.db),
    clock: wiring.clock,
    timer: settings.timer ?? systemTimer,
    templates: templates.value,
    initialDelayMs: settings.initialDelayMs ?? 30_000,
    ...(settings.intervalMs === undefined ? {} : { intervalMs: settings.intervalMs }),
    ...(settings.timeoutMs === undefined ? {} : { timeoutMs: settings.timeoutMs }),
    ...(settings.staleIntervals === undefined ? {} : { staleIntervals: settings.staleIntervals }),
  });
  return ok({
    ...catalogue,
    start() {
      if (settings.autoStart ?? true) catalogue.start();
    },
  });
}
