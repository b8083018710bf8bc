/**
 * Process ownership on the store (capability `management`): which bearer token started a
 * negotiation or transfer, by its fingerprint (never the token). Researchers see only the
 * processes they started; admins see all. Written right after the process is committed: a
 * crash in between leaves a process only admins see, never one a researcher sees wrongly.
 */
import type { Response } from 'express';
import type { Database, Migration } from '../../store/index.js';
import { principalOf } from '../auth.js';
import type { Page, ProcessOwners } from './ports.js';

export const processOwnerMigrations: readonly Migration[] = [
  {
    capability: 'management',
    version: 1,
    sql: `CREATE TABLE process_owner (
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        owner TEXT NOT NULL,
        PRIMARY KEY (kind, id)
      )`,
  },
];

export function sqlProcessOwners(db: Database): ProcessOwners {
  return {
    async record(kind, id, owner) {
      await db.run('INSERT INTO process_owner (kind, id, owner) VALUES (?, ?, ?)', [kind, id, owner]);
    },
    async ownerOf(kind, id) {
      const row = await db.get<{ owner: string }>('SELECT owner FROM process_owner WHERE kind = ? AND id = ?', [kind, id]);
      return row?.owner;
    },
  };
}

/** The owner name of the caller's token. */
export function ownerOf(res: Response): string {
  const principal = principalOf(res);
  if (principal === undefined) throw new Error('management route reached without bearer auth');
  return principal.tokenId;
}

/** Admins may see every process; a researcher only those its token started. */
export async function maySee(owners: ProcessOwners, res: Response, kind: 'negotiation' | 'transfer', id: string): Promise<boolean> {
  if (principalOf(res)?.role === 'admin') return true;
  return (await owners.ownerOf(kind, id)) === ownerOf(res);
}

/**
 * A page as the caller may see it: a researcher's page keeps only its own processes (so it
 * may hold fewer than `limit` items; `nextCursor` still continues the listing).
 */
export async function visiblePage<T extends { id: string }>(owners: ProcessOwners, res: Response, kind: 'negotiation' | 'transfer', page: Page<T>): Promise<Page<T>> {
  if (principalOf(res)?.role === 'admin') return page;
  const visible: T[] = [];
  for (const item of page.items) if (await maySee(owners, res, kind, item.id)) visible.push(item);
  return page.nextCursor === undefined ? { items: visible } : { items: visible, nextCursor: page.nextCursor };
}
