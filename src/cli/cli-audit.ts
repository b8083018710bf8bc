/**
 * Changes an admin makes from the command line (keys rotated or destroyed, credentials issued
 * or revoked) belong in the connector's audit trail (issue 5), recorded as `admin:cli`. The
 * keystore and the store cannot share a transaction, so the entry follows the change; a data
 * dir without a connector store (a registrar's, say) has no trail to write to.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createStoreAuditLog, kmsAuditSigner, type AuditEntryInput } from '../audit/index.js';
import { systemClock } from '../clock/index.js';
import { verifySignature, type FileKms } from '../kms/index.js';
import { openStore } from './commands/audit.js';

export async function recordCliAudit(
  dataDir: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  kms: FileKms,
  entry: Omit<AuditEntryInput, 'actor'>,
): Promise<void> {
  if (dataDir === undefined || (!existsSync(join(dataDir, 'connector.db')) && env['DATABASE_URL'] === undefined)) return;
  const db = await openStore({ dataDir }, { env, out: () => undefined });
  try {
    const audit = createStoreAuditLog({ db, clock: systemClock, signer: kmsAuditSigner(kms, verifySignature) });
    await audit.record({ ...entry, actor: 'admin:cli' });
  } finally {
    await db.close();
  }
}
