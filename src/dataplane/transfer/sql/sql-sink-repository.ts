/** The InboundSinkRepository port on the relational store (portable SQL, src/store/ports.ts). */
import type { Database } from '../../../store/index.js';
import type { InboundSink, InboundSinkRepository } from '../ports.js';

type Row = { document: string };
const parse = (row: Row | undefined) => (row === undefined ? undefined : (JSON.parse(row.document) as InboundSink));

export function createSqlSinkRepository(db: Database): InboundSinkRepository {
  return {
    get: async (sinkId) => parse(await db.get<Row>('SELECT document FROM dataplane_sink WHERE sink_id = ?', [sinkId])),
    findByTransfer: async (transferId) => parse(await db.get<Row>('SELECT document FROM dataplane_sink WHERE transfer_id = ?', [transferId])),
    async save(sink) {
      await db.run(
        `INSERT INTO dataplane_sink (sink_id, transfer_id, status, document, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (sink_id) DO UPDATE SET transfer_id = excluded.transfer_id, status = excluded.status, document = excluded.document, updated_at = excluded.updated_at`,
        [sink.sinkId, sink.transferId ?? null, sink.status, JSON.stringify(sink), sink.updatedAt],
      );
    },
    async delete(sinkId) {
      await db.run('DELETE FROM dataplane_sink WHERE sink_id = ?', [sinkId]);
    },
  };
}
