/**
 * The negotiation domain on the production persistence: each side on its own SQL database
 * (SQLite and Postgres) with the SQL repository, and an outbox worker per side whose `deliver`
 * routes to the other side's handler (the DSP engineer's test router) and confirms on the ACK.
 * Covers the happy path, a connector killed holding a lease and restarted on the same
 * database (the message is sent again and processed once), and 200 concurrent negotiations.
 */
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../../src/clock/index.js';
import type { OutboxEntry, VerifiedCaller } from '../../../src/dsp/index.js';
import { ok, type Result } from '../../../src/errors/index.js';
import * as neg from '../../../src/negotiation/index.js';
import { createOutboxWorker, type OutboxWorker } from '../../../src/outbox/index.js';
import { openDatabase, sqlitePath, type Database } from '../../../src/store/index.js';
import { createSqlNegotiationRepository, repositoryMigrations, sqlOutboxStore, type SqlNegotiationRepository } from '../../../src/store/repositories/index.js';
import { CATALOG_OFFER, claimPolicy, counterIds, DATASET, digestSigner, PROVIDER_DID, CONSUMER_DID, route, type Side } from '../../negotiation/harness.js';
import { testDialects, type TestDatabase } from '../test-databases.js';

interface Connector {
  db: Database;
  deps: neg.NegotiationDeps;
  repo: SqlNegotiationRepository;
  caller: VerifiedCaller;
  worker?: OutboxWorker;
}

const offer = { ...CATALOG_OFFER, target: DATASET };

function connector(db: Database, clock: SimulatedClock, did: string, base: string, prefix: string): Connector {
  const repo = createSqlNegotiationRepository({ db });
  const deps: neg.NegotiationDeps = {
    repository: repo,
    policy: claimPolicy,
    signer: digestSigner(did),
    offers: { findOffer: async (id) => (id === CATALOG_OFFER['@id'] ? { offer: CATALOG_OFFER, target: DATASET } : undefined) },
    clock,
    ids: counterIds(prefix),
    self: { did, dspBase: base },
  };
  return { db, deps, repo, caller: { did, claims: { member: true } } };
}

/** The outbox worker of `from`, delivering to `to` in-process and confirming on its ACK. */
function wire(from: Connector, to: Connector, clock: SimulatedClock): OutboxWorker {
  const asSide = (c: Connector) => ({ deps: c.deps, caller: c.caller }) as unknown as Side;
  const deliver = async (entry: OutboxEntry): Promise<Result<void>> => {
    const routed = await route(entry, asSide(to), asSide(from));
    if (!routed.ok) return routed;
    const confirmed = await neg.confirmDelivery(from.deps, entry.localPid, entry.id, routed.value.ack);
    return confirmed.ok ? ok(undefined) : confirmed;
  };
  const onGiveUp = async (entry: OutboxEntry, failure: { code: string; detail: string }) => {
    await neg.abandonDelivery(from.deps, entry.localPid, entry.id, failure);
  };
  from.worker = createOutboxWorker({ store: sqlOutboxStore(from.db), deliver, onGiveUp, clock, random: () => 0.5, leaseMs: 30_000 });
  return from.worker;
}

/** Drains both outboxes until neither has anything left, advancing the clock past back-offs. */
async function settle(a: Connector, b: Connector, clock: SimulatedClock): Promise<void> {
  for (let round = 0; round < 200; round++) {
    const [x, y] = [await a.worker!.drain(), await b.worker!.drain()];
    if (x.delivered + y.delivered + x.retried + y.retried + x.gaveUp + y.gaveUp > 0) continue;
    if ((await pending(a.db)) + (await pending(b.db)) === 0) return;
    clock.advance(60_000);
  }
  throw new Error('outboxes did not settle');
}

/** The same database opened again, as a restarted connector would; disposing it cleans up. */
async function reopen(handle: TestDatabase): Promise<TestDatabase> {
  const db = await openDatabase(handle.url, handle.schema === undefined ? {} : { schema: handle.schema });
  const dispose = async () => {
    if (handle.schema !== undefined) await db.run(`DROP SCHEMA ${handle.schema} CASCADE`);
    await db.close();
    if (handle.schema === undefined) rmSync(dirname(sqlitePath(handle.url)), { recursive: true, force: true });
  };
  return { ...handle, db, dispose };
}

const pending = async (db: Database) => Number((await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM outbox_entry WHERE status = 'pending'`))?.n);
const states = async (db: Database) => db.all<{ state: string; n: number }>('SELECT state, COUNT(*) AS n FROM negotiation GROUP BY state');

describe.each(testDialects)('negotiations on the SQL store with the outbox worker ($dialect)', ({ open }) => {
  let handles: TestDatabase[];
  let clock: SimulatedClock;
  let provider: Connector;
  let consumer: Connector;

  beforeEach(async () => {
    handles = [await open(), await open()];
    for (const { db } of handles) await db.migrate(repositoryMigrations);
    clock = new SimulatedClock();
    provider = connector(handles[0]!.db, clock, PROVIDER_DID, 'https://uk.example/dsp', 'p');
    consumer = connector(handles[1]!.db, clock, CONSUMER_DID, 'https://ca.example/dsp', 'c');
    wire(provider, consumer, clock);
    wire(consumer, provider, clock);
  });
  afterEach(async () => {
    for (const handle of handles) await handle.dispose();
  });

  it('runs a negotiation to FINALIZED on both sides, every message delivered once', async () => {
    const started = await neg.requestContract(consumer.deps, { providerDid: PROVIDER_DID, providerDspBase: 'https://uk.example/dsp', offer });
    expect(started.ok).toBe(true);
    await settle(consumer, provider, clock);
    const listed = await consumer.repo.list();
    const c = listed.ok ? listed.value.items[0] : undefined;
    const p = await provider.repo.findByCounterpartyPid(CONSUMER_DID, c!.id);
    expect([c?.state, p?.state]).toEqual(['FINALIZED', 'FINALIZED']);
    expect(c?.agreement).toEqual(p?.agreement);
    expect(await consumer.db.all(`SELECT message, status, attempts FROM outbox_entry ORDER BY seq`)).toEqual([
      { message: 'ContractRequestMessage', status: 'delivered', attempts: 1 },
      { message: 'ContractAgreementVerificationMessage', status: 'delivered', attempts: 1 },
    ]);
  });

  it('finishes exactly once after a connector is killed holding a lease and restarted on the same database', async () => {
    await neg.requestContract(consumer.deps, { providerDid: PROVIDER_DID, providerDspBase: 'https://uk.example/dsp', offer });
    // The consumer sends its request, the provider processes it, and the consumer dies before
    // recording the delivery: its lease is left behind.
    const [leased] = await sqlOutboxStore(consumer.db).lease({ now: clock.now(), leaseUntil: clock.now() + 30_000, leaseToken: 'killed/1', limit: 1 });
    const asSide = (c: Connector) => ({ deps: c.deps, caller: c.caller }) as unknown as Side;
    expect((await route(leased!.entry, asSide(provider), asSide(consumer))).ok).toBe(true);
    await consumer.db.close();
    // Restart: a new process opens the same database; its ids must not collide with the old run's.
    handles[1] = await reopen(handles[1]!);
    consumer = connector(handles[1].db, clock, CONSUMER_DID, 'https://ca.example/dsp', 'c2');
    wire(consumer, provider, clock);
    wire(provider, consumer, clock);
    expect((await consumer.worker!.drain()).delivered).toBe(0);
    clock.advance(30_000);
    await settle(consumer, provider, clock);
    expect(await states(provider.db)).toEqual([{ state: 'FINALIZED', n: 1 }]);
    expect(await states(consumer.db)).toEqual([{ state: 'FINALIZED', n: 1 }]);
    expect(await consumer.db.get(`SELECT attempts, status FROM outbox_entry WHERE message = 'ContractRequestMessage'`)).toEqual({ attempts: 2, status: 'delivered' });
  });

  it('runs 200 concurrent negotiations to FINALIZED with no lost or duplicated record', async () => {
    const started = await Promise.all(
      Array.from({ length: 200 }, () => neg.requestContract(consumer.deps, { providerDid: PROVIDER_DID, providerDspBase: 'https://uk.example/dsp', offer })),
    );
    expect(started.every((result) => result.ok)).toBe(true);
    await settle(consumer, provider, clock);
    expect(await states(consumer.db)).toEqual([{ state: 'FINALIZED', n: 200 }]);
    expect(await states(provider.db)).toEqual([{ state: 'FINALIZED', n: 200 }]);
    for (const db of [consumer.db, provider.db]) {
      expect(await db.get(`SELECT COUNT(*) AS n FROM outbox_entry WHERE status <> 'delivered'`)).toEqual({ n: 0 });
    }
  });
});
