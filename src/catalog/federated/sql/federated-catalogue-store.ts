/**
 * The last good copies of partners' catalogues in the connector's store (SQLite or Postgres,
 * portable SQL): one row per partner, its datasets and registrars as JSON text, times as epoch
 * milliseconds. A save replaces the partner's row in one statement, so a reader sees either
 * the previous copy or the new one, never a mix.
 */
import type { Dataset } from '../../../dsp/index.js';
import type { Database, Migration } from '../../../store/index.js';
import type { CrawlStatus, FederatedCatalogueStore, PartnerCatalogueRecord } from '../ports.js';

export const federatedCatalogueMigrations: Migration[] = [
  {
    capability: 'federated-catalogue',
    version: 1,
    sql: `CREATE TABLE federated_catalogue_partner (
            did TEXT PRIMARY KEY,
            legal_name TEXT NOT NULL,
            nation TEXT,
            registrars TEXT NOT NULL,
            datasets TEXT NOT NULL,
            crawled_at {{bigint}},
            last_attempt_at {{bigint}} NOT NULL,
            last_status TEXT NOT NULL,
            last_error TEXT)`,
  },
];

interface Row {
  did: string;
  legal_name: string;
  nation: string | null;
  registrars: string;
  datasets: string;
  crawled_at: number | bigint | null;
  last_attempt_at: number | bigint;
  last_status: string;
  last_error: string | null;
}

const COLUMNS = 'did, legal_name, nation, registrars, datasets, crawled_at, last_attempt_at, last_status, last_error';

function recordOf(row: Row): PartnerCatalogueRecord {
  return {
    did: row.did,
    legalName: row.legal_name,
    nation: row.nation,
    registrars: JSON.parse(row.registrars) as string[],
    datasets: JSON.parse(row.datasets) as Dataset[],
    crawledAt: row.crawled_at === null ? null : Number(row.crawled_at),
    lastAttemptAt: Number(row.last_attempt_at),
    lastStatus: row.last_status as CrawlStatus,
    lastError: row.last_error === null ? null : (JSON.parse(row.last_error) as { code: string; detail: string }),
  };
}

export function createSqlFederatedCatalogueStore(db: Database): FederatedCatalogueStore {
  return {
    async list() {
      return (await db.all<Row>(`SELECT ${COLUMNS} FROM federated_catalogue_partner ORDER BY did`)).map(recordOf);
    },
    async get(did) {
      const row = await db.get<Row>(`SELECT ${COLUMNS} FROM federated_catalogue_partner WHERE did = ?`, [did]);
      return row === undefined ? undefined : recordOf(row);
    },
    async save(record) {
      await db.run(
        `INSERT INTO federated_catalogue_partner (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (did) DO UPDATE SET legal_name = excluded.legal_name, nation = excluded.nation, registrars = excluded.registrars,
           datasets = excluded.datasets, crawled_at = excluded.crawled_at, last_attempt_at = excluded.last_attempt_at,
           last_status = excluded.last_status, last_error = excluded.last_error`,
        [
          record.did,
          record.legalName,
          record.nation,
          JSON.stringify(record.registrars),
          JSON.stringify(record.datasets),
          record.crawledAt,
          record.lastAttemptAt,
          record.lastStatus,
          record.lastError === null ? null : JSON.stringify(record.lastError),
        ],
      );
    },
    async remove(did) {
      await db.run('DELETE FROM federated_catalogue_partner WHERE did = ?', [did]);
    },
  };
}
