/** The OutboundTransferRepository port on the relational store (portable SQL, src/store/ports.ts). */
import type { Database } from '../../../store/index.js';
import type { OutboundTransfer, OutboundTransferRepository } from '../ports.js';

type Row = { document: string };
const parse = (row: Row | undefined) => (row === undefined ? undefined : (JSON.parse(row.document) as OutboundTransfer));

export function createSqlOutboundTransferRepository(db: Database): OutboundTransferRepository {
  return {
    get: async (transferId) => parse(await db.get<Row>('SELECT document FROM dataplane_transfer WHERE transfer_id = ?', [transferId])),
    async save(record) {
      await db.run(
        `INSERT INTO dataplane_transfer (transfer_id, agreement_id, consumer_did, container_digest, status, document, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (transfer_id) DO UPDATE SET container_digest = excluded.container_digest, status = excluded.status,
           document = excluded.document, updated_at = excluded.updated_at`,
        [record.transferId, record.agreementId, record.consumerDid, record.containerDigest, record.status, JSON.stringify(record), record.updatedAt],
      );
    },
    findDelivered: async (agreementId, consumerDid, containerDigest) =>
      parse(
        await db.get<Row>(
          `SELECT document FROM dataplane_transfer WHERE agreement_id = ? AND consumer_did = ? AND container_digest = ?
           ORDER BY updated_at DESC LIMIT 1`,
          [agreementId, consumerDid, containerDigest],
        ),
      ),
    async recordRelease(event) {
      await db.run(
        'INSERT INTO dataplane_key_release (agreement_id, transfer_id, consumer_did, purpose, outcome, code, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [event.agreementId, event.transferId, event.consumerDid, event.purpose ?? null, event.outcome, event.code ?? null, event.at],
      );
    },
    async releasesSoFar(agreementId) {
      const row = await db.get<{ n: number | bigint }>(`SELECT COUNT(*) AS n FROM dataplane_key_release WHERE agreement_id = ? AND outcome = 'released'`, [agreementId]);
      return Number(row?.n ?? 0);
    },
    async revoke(agreementId, at, reason) {
      await db.run('INSERT INTO dataplane_revocation (agreement_id, revoked_at, reason) VALUES (?, ?, ?) ON CONFLICT (agreement_id) DO NOTHING', [agreementId, at, reason]);
    },
    async revokedAt(agreementId) {
      return (await db.get<{ revoked_at: string }>('SELECT revoked_at FROM dataplane_revocation WHERE agreement_id = ?', [agreementId]))?.revoked_at;
    },
  };
}
