/**
 * What the federated catalogue needs from the outside world, as small ports: the registrars'
 * member directories (who to crawl), the membership check of a partner (whom to believe, and
 * its verified nation), the partner's DSP catalogue pages (raw: the crawler validates them),
 * the store of last good copies, and a timer for the schedule and the per-partner timeouts.
 */
import type { Dataset } from '../../dsp/index.js';
import type { Result } from '../../errors/index.js';

/** A connector a trusted registrar lists as its live member. */
export interface PartnerCandidate {
  did: string;
  /** As the registrar's directory names it; replaced by the verified claim once checked. */
  legalName: string;
  registrar: string;
}

/** One registrar's directory, or why it could not be read. */
export interface RegistrarListing {
  registrar: string;
  members: Result<PartnerCandidate[]>;
}

export interface PartnerDirectory {
  /** Every registrar of this connector's trust list, each with its live members. */
  list(): Promise<RegistrarListing[]>;
}

/** What a partner's verified membership credential says about it. */
export interface VerifiedPartner {
  legalName: string;
  /** The accrediting nation, e.g. `UK` (the membership credential's jurisdiction). */
  jurisdiction: string;
}

export interface PartnerVerifier {
  verify(did: string): Promise<Result<VerifiedPartner>>;
}

export interface CatalogueSource {
  /** Every page of the partner's DSP catalogue as received (unvalidated JSON), first page first. */
  fetchPages(did: string): Promise<Result<unknown[]>>;
}

export type CrawlStatus = 'ok' | 'failed';

/** One partner's entry in the local index: the last good copy and how the last crawl went. */
export interface PartnerCatalogueRecord {
  did: string;
  legalName: string;
  /** Verified jurisdiction; null until a crawl verified the partner. */
  nation: string | null;
  /** The registrars (of our trust list) that list it. */
  registrars: string[];
  /** Datasets of the last good copy (every page, nested catalogues flattened). */
  datasets: Dataset[];
  /** When the last good copy was taken (ms); null when no crawl ever succeeded. */
  crawledAt: number | null;
  lastAttemptAt: number;
  lastStatus: CrawlStatus;
  lastError: { code: string; detail: string } | null;
}

export interface FederatedCatalogueStore {
  list(): Promise<PartnerCatalogueRecord[]>;
  get(did: string): Promise<PartnerCatalogueRecord | undefined>;
  /** Inserts or replaces the record of `record.did`. */
  save(record: PartnerCatalogueRecord): Promise<void>;
  remove(did: string): Promise<void>;
}

/** `setTimeout`/`clearTimeout` as a port: tests fire timers when their simulated clock says so. */
export interface Timer {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}
