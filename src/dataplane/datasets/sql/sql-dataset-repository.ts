/** The DatasetRepository port on the relational store (portable SQL, src/store/ports.ts). */
import { fail, ok } from '../../../errors/index.js';
import { isUniqueViolation, type Database } from '../../../store/index.js';
import type { DatasetRecord } from '../dataset.js';
import type { DatasetRepository } from '../ports.js';

type Row = { document: string };

export function createSqlDatasetRepository(db: Database): DatasetRepository {
  const parse = (row: Row | undefined): DatasetRecord | undefined => (row === undefined ? undefined : (JSON.parse(row.document) as DatasetRecord));
  return {
    get: async (id) => parse(await db.get<Row>('SELECT document FROM dataplane_dataset WHERE id = ?', [id])),
    latestLocal: async (offeringId) =>
      parse(
        await db.get<Row>(
          `SELECT document FROM dataplane_dataset WHERE offering_id = ? AND origin = 'local' AND status = 'ready'
           ORDER BY created_at DESC, id DESC LIMIT 1`,
          [offeringId],
        ),
      ),
    async countLocal(offeringId) {
      const row = await db.get<{ n: number | bigint }>(`SELECT COUNT(*) AS n FROM dataplane_dataset WHERE offering_id = ? AND origin = 'local'`, [offeringId]);
      return Number(row?.n ?? 0);
    },
    findReceived: async (transferId) =>
      parse(await db.get<Row>(`SELECT document FROM dataplane_dataset WHERE transfer_id = ? AND origin = 'received'`, [transferId])),
    list: async () => (await db.all<Row>('SELECT document FROM dataplane_dataset ORDER BY created_at, id')).map((row) => JSON.parse(row.document) as DatasetRecord),
    async insert(record) {
      try {
        await db.run(
          'INSERT INTO dataplane_dataset (id, offering_id, origin, status, transfer_id, document, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
          [record.id, record.offeringId, record.origin, record.status, record.receivedFrom?.transferId ?? null, JSON.stringify(record), record.createdAt],
        );
        return ok(undefined);
      } catch (error) {
        if (isUniqueViolation(error)) return fail('SOV_CONFLICT', `dataset ${record.id} already exists`);
        throw error;
      }
    },
    async update(record) {
      const { changes } = await db.run('UPDATE dataplane_dataset SET status = ?, document = ? WHERE id = ?', [record.status, JSON.stringify(record), record.id]);
      return changes === 1 ? ok(undefined) : fail('SOV_DATAPLANE_DATASET_NOT_FOUND', `no dataset ${record.id}`);
    },
  };
}
