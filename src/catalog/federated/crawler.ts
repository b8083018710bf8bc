/**
 * The crawler of partners' catalogues (issue 9 "Federated catalogue"): on a schedule and on
 * demand it asks every registrar of our trust list for its live members, verifies each
 * member's membership, fetches its DSP catalogue with our caller token and keeps the result
 * as that partner's last good copy. Partners are crawled concurrently, each under its own
 * timeout, so one that is down, slow or answers garbage delays nobody and corrupts nothing:
 * its failure is recorded next to the copy it already had. A member that every registrar
 * listing it has dropped (revoked, expired) leaves the index.
 * The provider already shows each requester only the offers it could satisfy (dsp.md §3,
 * src/catalog/service.ts), so what we keep is already filtered for this connector's claims.
 */
import type { Clock } from '../../clock/index.js';
import { fail, ok, type Failure, type Result } from '../../errors/index.js';
import type {
  CatalogueSource,
  FederatedCatalogueStore,
  PartnerCatalogueRecord,
  PartnerCandidate,
  PartnerDirectory,
  PartnerVerifier,
  RegistrarListing,
  Timer,
} from './ports.js';
import { acceptCatalogue } from './received-catalogue.js';
import { withTimeout } from './timeout.js';

export const DEFAULT_CRAWL_INTERVAL_MS = 5 * 60_000;
export const DEFAULT_PARTNER_TIMEOUT_MS = 5_000;

export interface CrawlerOptions {
  /** Our own DID: never crawled. */
  selfDid: string;
  directory: PartnerDirectory;
  verifier: PartnerVerifier;
  source: CatalogueSource;
  store: FederatedCatalogueStore;
  clock: Clock;
  timer: Timer;
  /** Between scheduled crawls (ms); default 5 minutes. */
  intervalMs?: number;
  /** From `start()` to the first scheduled crawl (ms); default 15 s, so partners started alongside are up. */
  initialDelayMs?: number;
  /** Per partner, verification and every page included (ms); default 5 s. */
  timeoutMs?: number;
  /** Largest catalogue kept per partner; default 10 000 datasets. */
  maxDatasets?: number;
  /** Errors of a scheduled round (a store failure); default console.error. */
  onError?: (error: unknown) => void;
}

export interface PartnerCrawl {
  did: string;
  status: 'ok' | 'failed';
  datasets: number;
  error?: { code: string; detail: string };
}

export interface CrawlReport {
  startedAt: string;
  finishedAt: string;
  registrars: Array<{ did: string; reached: boolean; error?: { code: string; detail: string } }>;
  partners: PartnerCrawl[];
  /** Partners no registrar lists any more, dropped from the index. */
  removed: string[];
}

export interface CatalogueCrawler {
  /** Crawls every partner now; a call while a crawl runs joins it. */
  refresh(): Promise<CrawlReport>;
  /** Crawls after `initialDelayMs`, then every `intervalMs`, until `stop()`. */
  start(): void;
  /** Stops the schedule and waits for a crawl in progress. */
  stop(): Promise<void>;
}

const errorOf = (failure: Failure) => ({ code: failure.code, detail: failure.detail });

/** Who to crawl: every listed member, plus stored partners whose registrars could not all be asked. */
function candidatesOf(listings: RegistrarListing[], stored: PartnerCatalogueRecord[], selfDid: string) {
  const candidates = new Map<string, PartnerCandidate & { registrars: string[] }>();
  for (const { registrar, members } of listings) {
    if (!members.ok) continue;
    for (const member of members.value) {
      if (member.did === selfDid) continue;
      const known = candidates.get(member.did);
      if (known === undefined) candidates.set(member.did, { ...member, registrars: [registrar] });
      else known.registrars.push(registrar);
    }
  }
  const unreached = new Set(listings.filter((l) => !l.members.ok).map((l) => l.registrar));
  const removed: string[] = [];
  for (const record of stored) {
    if (candidates.has(record.did)) continue;
    if (record.registrars.some((r) => unreached.has(r))) {
      candidates.set(record.did, { did: record.did, legalName: record.legalName, registrar: record.registrars[0] ?? '', registrars: record.registrars });
    } else removed.push(record.did);
  }
  return { candidates: [...candidates.values()], removed };
}

export function createCatalogueCrawler(options: CrawlerOptions): CatalogueCrawler {
  const { clock, timer, store } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_PARTNER_TIMEOUT_MS;
  const maxDatasets = options.maxDatasets ?? 10_000;

  async function fetchVerified(did: string) {
    const verified = await options.verifier.verify(did);
    if (!verified.ok) return verified;
    const pages = await options.source.fetchPages(did);
    if (!pages.ok) return pages;
    const datasets = acceptCatalogue(did, pages.value, maxDatasets);
    return datasets.ok ? ok({ partner: verified.value, datasets: datasets.value }) : datasets;
  }

  async function crawlPartner(candidate: PartnerCandidate & { registrars: string[] }, previous: PartnerCatalogueRecord | undefined): Promise<PartnerCrawl> {
    const outcome = await withTimeout(fetchVerified(candidate.did), { ms: timeoutMs, timer, onTimeout: () => timedOut(candidate.did, timeoutMs) });
    const now = clock.now();
    if (outcome.ok) {
      const { partner, datasets } = outcome.value;
      await store.save({
        did: candidate.did, legalName: partner.legalName, nation: partner.jurisdiction, registrars: candidate.registrars,
        datasets, crawledAt: now, lastAttemptAt: now, lastStatus: 'ok', lastError: null,
      });
      return { did: candidate.did, status: 'ok', datasets: datasets.length };
    }
    // Never replace a good copy: only the attempt, its status and its reason change.
    const kept = previous ?? { did: candidate.did, legalName: candidate.legalName, nation: null, datasets: [], crawledAt: null };
    await store.save({ ...kept, registrars: candidate.registrars, lastAttemptAt: now, lastStatus: 'failed', lastError: errorOf(outcome) });
    return { did: candidate.did, status: 'failed', datasets: kept.datasets.length, error: errorOf(outcome) };
  }

  async function crawl(): Promise<CrawlReport> {
    const startedAt = new Date(clock.now()).toISOString();
    const [listings, stored] = await Promise.all([options.directory.list(), store.list()]);
    const { candidates, removed } = candidatesOf(listings, stored, options.selfDid);
    const previous = new Map(stored.map((record) => [record.did, record]));
    const partners = await Promise.all(candidates.map((candidate) => crawlPartner(candidate, previous.get(candidate.did))));
    for (const did of removed) await store.remove(did);
    return {
      startedAt,
      finishedAt: new Date(clock.now()).toISOString(),
      registrars: listings.map(({ registrar, members }) => (members.ok ? { did: registrar, reached: true } : { did: registrar, reached: false, error: errorOf(members) })),
      partners: partners.sort((a, b) => a.did.localeCompare(b.did)),
      removed,
    };
  }

  let inflight: Promise<CrawlReport> | undefined;
  const refresh = (): Promise<CrawlReport> => (inflight ??= crawl().finally(() => (inflight = undefined)));
  return { refresh, ...schedule(refresh, options) };
}

function timedOut(did: string, ms: number): Result<never> {
  return fail('SOV_FEDCAT_PARTNER_TIMEOUT', `${did} did not deliver its catalogue within ${ms} ms`, { partner: did });
}

/** The timer loop: one crawl at a time, the next armed when the previous one ends. */
function schedule(refresh: () => Promise<CrawlReport>, options: CrawlerOptions): Pick<CatalogueCrawler, 'start' | 'stop'> {
  const interval = options.intervalMs ?? DEFAULT_CRAWL_INTERVAL_MS;
  const onError = options.onError ?? ((error: unknown) => console.error('federated catalogue crawl failed', error));
  let handle: unknown;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = true;
  const tick = (): void => {
    handle = undefined;
    running = refresh()
      .catch(onError)
      .finally(() => {
        if (!stopped) handle = options.timer.set(tick, interval);
      });
  };
  return {
    start() {
      if (!stopped) return;
      stopped = false;
      handle = options.timer.set(tick, options.initialDelayMs ?? Math.min(15_000, interval));
    },
    async stop() {
      stopped = true;
      if (handle !== undefined) options.timer.clear(handle);
      handle = undefined;
      await running;
    },
  };
}
