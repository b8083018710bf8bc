/**
 * `sovc audit verify | tail [-n N] | search [filters]`: the audit trail for admins (issue 5).
 * The database is `--database-url`, else `DATABASE_URL`, else `<data dir>/connector.db`.
 * `verify` also opens the keystore (`<data dir>/keystore.sealed`, passphrase from
 * SOVC_KEYSTORE_PASSPHRASE or `<data dir>/secrets/keystore-passphrase`) to check checkpoint
 * signatures, and exits non-zero naming the first bad entry. Tables by default, `--json` for
 * machines.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { systemClock } from '../../clock/index.js';
import { DomainError, fail, unwrap } from '../../errors/index.js';
import { verifySignature, type FileKms } from '../../kms/index.js';
import { keystoreFiles, openExistingKeystore } from '../keystore-access.js';
import { renderTable } from '../table.js';
import { openDatabase, sqlitePath, type Database } from '../../store/index.js';
import {
  auditEventTypes,
  auditMigrations,
  createStoreAuditLog,
  kmsAuditSigner,
  type AuditEntry,
  type AuditSearchQuery,
  type AuditSigner,
  type AuditVerification,
  type StoreAuditLog,
} from '../../audit/index.js';

export interface AuditLocation {
  dataDir?: string;
  databaseUrl?: string;
  passphraseFile?: string;
  json?: boolean;
}

/** What the commands touch besides the database and keystore, injectable for tests. */
export interface AuditIo {
  env: Readonly<Record<string, string | undefined>>;
  out(text: string): void;
}

function dataDir(location: AuditLocation, io: AuditIo): string {
  const dir = location.dataDir ?? io.env['SOVC_DATA_DIR'];
  if (dir === undefined) throw new DomainError(fail('SOV_BAD_REQUEST', 'say where the connector data is: --data-dir DIR (or SOVC_DATA_DIR)'));
  return dir;
}

/** The connector's database (`--database-url`, `DATABASE_URL` or `<data dir>/connector.db`), audit tables migrated. */
export async function openStore(location: AuditLocation, io: AuditIo): Promise<Database> {
  const url = location.databaseUrl ?? io.env['DATABASE_URL'] ?? join(dataDir(location, io), 'connector.db');
  if (!/^postgres(ql)?:\/\//.test(url) && !existsSync(sqlitePath(url))) {
    throw new DomainError(fail('SOV_NOT_FOUND', `no connector database at ${sqlitePath(url)}`));
  }
  const db = await openDatabase(url);
  await db.migrate(auditMigrations);
  return db;
}

/** Runs `task` with the audit log; `signer` is only opened (keystore + passphrase) when asked for. */
async function withAuditLog<T>(location: AuditLocation, io: AuditIo, needsKeys: boolean, task: (log: StoreAuditLog) => Promise<T>): Promise<T> {
  const db = await openStore(location, io);
  const kms = needsKeys ? await openKeystore(location, io) : undefined;
  try {
    const signer: AuditSigner = kms ? kmsAuditSigner(kms, verifySignature) : readOnlySigner;
    return await task(createStoreAuditLog({ db, clock: systemClock, signer }));
  } finally {
    kms?.close();
    await db.close();
  }
}

/** tail and search never append, so never sign or verify; reaching this signer is a bug. */
const readOnlySigner: AuditSigner = {
  sign: () => Promise.reject(new Error('audit tail/search must not sign')),
  verify: () => Promise.reject(new Error('audit tail/search must not verify')),
};

async function openKeystore(location: AuditLocation, io: AuditIo): Promise<FileKms> {
  return openExistingKeystore(keystoreFiles(dataDir(location, io), location), io.env);
}

function table(entries: AuditEntry[]): string {
  const header = ['SEQ', 'TIME', 'ACTOR', 'TYPE', 'SUBJECTS', 'DETAILS'];
  const rows = entries.map((e) => [String(e.seq), e.time, e.actor, e.type, e.subjects.join(' '), JSON.stringify(e.details)]);
  return renderTable(header, rows);
}

function describeVerification(result: AuditVerification): string {
  const unsigned = (result.head?.seq ?? 0) - result.signedThrough;
  const summary = `${result.entries} entries, ${result.checkpoints} checkpoints, signed through entry ${result.signedThrough}` +
    (unsigned > 0 ? ` (${unsigned} later entries chained, not yet signed)` : '');
  if (result.verified) return `audit log verified: ${summary}`;
  return [`audit log FAILED verification: ${summary}`, ...result.problems.map((p) => `  entry ${p.seq}: ${p.kind}: ${p.detail}`)].join('\n');
}

export function auditVerify(location: AuditLocation, io: AuditIo): Promise<void> {
  return withAuditLog(location, io, true, async (log) => {
    const result = await log.verify();
    io.out(location.json ? JSON.stringify(result, null, 2) : describeVerification(result));
    if (result.firstProblem) {
      const { seq, kind, detail } = result.firstProblem;
      throw new DomainError(fail('SOV_AUDIT_CHAIN_BROKEN', `first bad entry ${seq} (${kind}): ${detail}`, { seq, kind }));
    }
  });
}

export function auditTail(count: number, location: AuditLocation, io: AuditIo): Promise<void> {
  return withAuditLog(location, io, false, async (log) => {
    const entries = await log.tail(count);
    io.out(location.json ? JSON.stringify(entries, null, 2) : table(entries));
  });
}

export function auditSearch(query: AuditSearchQuery, location: AuditLocation, io: AuditIo): Promise<void> {
  return withAuditLog(location, io, false, async (log) => {
    const page = unwrap(await log.search(query));
    if (location.json) return io.out(JSON.stringify(page, null, 2));
    io.out(table(page.entries));
    if (page.nextCursor !== undefined) io.out(`more: add --cursor ${page.nextCursor}`);
  });
}

const processIo: AuditIo = { env: process.env, out: (text) => console.log(text) };

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 1) throw new DomainError(fail('SOV_BAD_REQUEST', `expected a positive integer, got ${value}`));
  return parsed;
}

function locationOptions(command: Command): Command {
  return command
    .option('--data-dir <dir>', 'connector data directory (default: $SOVC_DATA_DIR)')
    .option('--database-url <url>', 'database (default: $DATABASE_URL, else <data dir>/connector.db)')
    .option('--json', 'print JSON instead of a table');
}

type SearchOptions = AuditLocation & Omit<AuditSearchQuery, 'limit'> & { limit?: number };

export function register(program: Command): void {
  const audit = program.command('audit').description('The tamper-evident audit trail: verify it, show the latest entries, search it');
  locationOptions(audit.command('verify').description('Check every hash link and checkpoint signature; exits 1 naming the first bad entry'))
    .option('--passphrase-file <path>', 'keystore passphrase file, if SOVC_KEYSTORE_PASSPHRASE is unset')
    .action((options: AuditLocation) => auditVerify(options, processIo));
  locationOptions(audit.command('tail').description('Show the newest entries, oldest first'))
    .option('-n, --lines <n>', 'how many entries', positiveInteger, 20)
    .action((options: AuditLocation & { lines: number }) => auditTail(options.lines, options, processIo));
  locationOptions(audit.command('search').description('Find entries, newest first'))
    .addOption(new Option('--type <type>', 'event type').choices(auditEventTypes))
    .option('--actor <actor>', 'a DID or admin:<name>')
    .option('--subject <id>', 'an agreement, transfer, dataset, key or credential id')
    .option('--since <date>', 'at or after this ISO date or date-time')
    .option('--until <date>', 'before this ISO date or date-time')
    .option('--limit <n>', 'entries per page (default 50)', positiveInteger)
    .option('--cursor <cursor>', 'continue from a previous page')
    .action((options: SearchOptions) => {
      const { dataDir: _d, databaseUrl: _u, json: _j, passphraseFile: _p, ...query } = options;
      return auditSearch(query, options, processIo);
    });
}
