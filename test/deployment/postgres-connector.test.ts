/**
 * A connector on Postgres as docker-compose runs it (issue 9 "Postgres store and
 * docker-compose"): built through the composition root with `databaseUrl` naming a database
 * of its own, it serves a resolvable DID and a verifying audit log, and a restart on the same
 * database and data dir keeps its identity and every audit entry. The database is created
 * fresh for the run (the composition root takes a URL, not a schema) and dropped afterwards.
 * Postgres is required: when the server is unreachable the suite fails, it is never skipped.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock/index.js';
import { loadPartner } from '../../src/config/index.js';
import { createConnector, type Connector } from '../../src/connector/index.js';
import { unwrap } from '../../src/errors/index.js';
import { createLogger } from '../../src/http/index.js';
import { createDidResolver, resolveDidDocument } from '../../src/identity/index.js';
import { MINIMUM_KDF_PARAMS } from '../../src/kms/index.js';
import { openDatabase, type Database } from '../../src/store/index.js';
import { postgresTestUrl } from '../store/test-databases.js';
import { freePort } from '../support/partners.js';

const databaseName = `sovc_test_${process.pid}_${randomBytes(4).toString('hex')}`;
const databaseUrl = Object.assign(new URL(postgresTestUrl), { pathname: `/${databaseName}` }).href;

let admin: Database;
let dataDir: string;
let ports: { port: number; registrar: number };
const running = new Set<Connector>();

/** The UK partner exactly as `sovc start uk` builds it in its container, on this run's database. */
async function startConnector(): Promise<{ connector: Connector; url: string }> {
  const env = {
    SOVC_KEYSTORE_PASSPHRASE: 'postgres deployment test passphrase',
    SOVC_ADMIN_TOKEN: 'admin-token-for-postgres-deployment-test',
    SOVC_RESEARCHER_TOKEN: 'researcher-token-for-postgres-deployment-test',
  };
  const overrides = { port: ports.port, registrar: { port: ports.registrar }, dataDir, databaseUrl, logLevel: 'silent' as const };
  const partner = unwrap(loadPartner('uk', { env, overrides }));
  const connector = unwrap(await createConnector({ ...partner, kdf: MINIMUM_KDF_PARAMS, logger: createLogger({ level: 'silent' }) }));
  running.add(connector);
  const bound = await connector.start();
  if (!bound.ok) throw new Error(bound.detail);
  return { connector, url: bound.value.url };
}

async function stopConnector(connector: Connector): Promise<void> {
  running.delete(connector);
  await connector.stop();
}

async function assertionKeys(did: string): Promise<string[]> {
  const doc = unwrap(await resolveDidDocument(createDidResolver({ clock: systemClock }), did));
  expect(doc.id).toBe(did);
  return (doc.verificationMethod ?? []).map((method) => String(method.publicKeyMultibase));
}

beforeAll(async () => {
  admin = await openDatabase(postgresTestUrl);
  await admin.run(`CREATE DATABASE ${databaseName}`);
  dataDir = mkdtempSync(join(tmpdir(), 'sovc-pg-uk-'));
  ports = { port: await freePort(), registrar: await freePort() };
});

afterAll(async () => {
  await Promise.allSettled([...running].map((connector) => connector.stop()));
  if (admin !== undefined) {
    await admin.run(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
    await admin.close();
  }
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
});

describe('a connector whose DATABASE_URL names a Postgres database', () => {
  it('keeps its store in that database, serves its DID and a verifying audit log, and survives a restart', async () => {
    const first = await startConnector();
    expect(first.connector.db.dialect).toBe('postgres');
    const keysBefore = await assertionKeys(first.connector.did);
    const health = (await (await fetch(`${first.url}/health`)).json()) as { status: string; did: string };
    expect(health).toEqual(expect.objectContaining({ status: 'ok', did: first.connector.did }));

    const verifiedBefore = await first.connector.audit.verify();
    expect(verifiedBefore.problems).toEqual([]);
    expect(verifiedBefore.verified).toBe(true);
    expect(verifiedBefore.entries).toBeGreaterThan(0);
    const entriesBefore = await first.connector.audit.tail(1000);
    expect(entriesBefore.map((entry) => entry.type)).toContain('key.created');
    await stopConnector(first.connector);

    // The rows are in this run's database, and no SQLite file was created beside the keystore.
    const direct = await openDatabase(databaseUrl);
    try {
      const row = await direct.get<{ n: number }>('SELECT COUNT(*) AS n FROM audit_entry');
      expect(Number(row?.n)).toBeGreaterThanOrEqual(entriesBefore.length);
    } finally {
      await direct.close();
    }
    expect(existsSync(join(dataDir, 'connector.db'))).toBe(false);

    const second = await startConnector();
    expect(second.connector.did).toBe(first.connector.did);
    expect(await assertionKeys(second.connector.did)).toEqual(keysBefore);
    const verifiedAfter = await second.connector.audit.verify();
    expect(verifiedAfter.problems).toEqual([]);
    expect(verifiedAfter.verified).toBe(true);
    // stop() signed a final checkpoint over everything the first run wrote.
    expect(verifiedAfter.signedThrough).toBeGreaterThanOrEqual(entriesBefore.length);
    const entriesAfter = await second.connector.audit.tail(1000);
    expect(entriesAfter.slice(0, entriesBefore.length)).toEqual(entriesBefore);
    expect(entriesAfter.filter((entry) => entry.type === 'key.created')).toEqual(entriesBefore.filter((entry) => entry.type === 'key.created'));
    await stopConnector(second.connector);
  });
});
