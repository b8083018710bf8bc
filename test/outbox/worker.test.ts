/**
 * The outbox worker on the SQL outbox store, on SQLite and Postgres: delivery and marking,
 * retries with exponential back-off and injected jitter, give-up after the last attempt,
 * lease expiry after a crashed worker, one delivery per lease under two concurrent workers,
 * and in-order delivery within one process. The clock is simulated: nothing sleeps.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../src/clock/index.js';
import type { OutboxEntry } from '../../src/dsp/index.js';
import { fail, ok, type Failure, type Result } from '../../src/errors/index.js';
import { createOutboxWorker, type OutboxWorkerOptions } from '../../src/outbox/index.js';
import type { Database } from '../../src/store/index.js';
import { insertOutboxEntries, outboxMigrations, sqlOutboxStore } from '../../src/store/repositories/index.js';
import { testDialects, type TestDatabase } from '../store/test-databases.js';
import { outboxEntry } from '../store/repositories/fixtures.js';

const T0 = Date.UTC(2026, 0, 1);
const unreachable = (): Result<void> => fail('SOV_OUTBOX_DELIVERY_FAILED', 'connection refused');

describe.each(testDialects)('outbox worker ($dialect)', ({ open }) => {
  let handle: TestDatabase;
  let db: Database;
  let clock: SimulatedClock;
  let sent: string[];
  let gaveUp: Array<{ id: string; failure: Failure }>;

  beforeEach(async () => {
    handle = await open();
    db = handle.db;
    await db.migrate(outboxMigrations);
    clock = new SimulatedClock(T0);
    sent = [];
    gaveUp = [];
  });
  afterEach(async () => handle.dispose());

  const enqueue = (...entries: OutboxEntry[]) => db.transaction((tx) => insertOutboxEntries(tx, entries));
  const worker = (deliver: (entry: OutboxEntry) => Result<{ settled: boolean } | void> | Promise<Result<{ settled: boolean } | void>>, extra: Partial<OutboxWorkerOptions> = {}) =>
    createOutboxWorker({
      store: sqlOutboxStore(db),
      clock,
      random: () => 0.5,
      retry: { maxAttempts: 4, baseDelayMs: 1_000, maxDelayMs: 60_000 },
      leaseMs: 30_000,
      deliver: async (entry) => {
        sent.push(entry.id);
        return deliver(entry);
      },
      onGiveUp: async (entry, failure) => {
        gaveUp.push({ id: entry.id, failure });
      },
      ...extra,
    });
  const row = (id: string) =>
    db.get<{ status: string; attempts: number; next_attempt_at: number; last_error: string | null; lease_token: string | null }>(
      'SELECT status, attempts, next_attempt_at, last_error, lease_token FROM outbox_entry WHERE id = ?',
      [id],
    );

  it('delivers each due entry once, as stored, and marks it delivered', async () => {
    const entry = outboxEntry('urn:uuid:o-1', 'urn:uuid:p-1');
    await enqueue(entry, outboxEntry('urn:uuid:o-2', 'urn:uuid:p-2'));
    const seen: OutboxEntry[] = [];
    const w = worker((e) => (seen.push(e), ok(undefined)));
    expect(await w.drain()).toEqual({ delivered: 2, retried: 0, gaveUp: 0, lostLeases: 0 });
    expect(seen.find((e) => e.id === entry.id)).toEqual(entry);
    expect(await row(entry.id)).toMatchObject({ status: 'delivered', attempts: 1, lease_token: null });
    clock.advance(3_600_000);
    expect(await w.drain()).toEqual({ delivered: 0, retried: 0, gaveUp: 0, lostLeases: 0 });
    expect(sent).toHaveLength(2);
  });

  it('writes nothing more for an entry its delivery settled in its own commit', async () => {
    await enqueue(outboxEntry('urn:uuid:o-1', 'urn:uuid:p-1'));
    const w = worker(async (e) => {
      // What a confirmDelivery commit does (settleAcknowledged, inside the state change's transaction).
      await db.run(`UPDATE outbox_entry SET status = 'delivered', settled_at = 42, lease_token = NULL, lease_until = NULL WHERE id = ?`, [e.id]);
      return ok({ settled: true });
    });
    expect(await w.drain()).toEqual({ delivered: 1, retried: 0, gaveUp: 0, lostLeases: 0 });
    expect(await db.get('SELECT status, settled_at FROM outbox_entry WHERE id = ?', ['urn:uuid:o-1'])).toEqual({ status: 'delivered', settled_at: 42 });
  });

  it('does not deliver an entry before it is due', async () => {
    await enqueue(outboxEntry('urn:uuid:o-1', 'urn:uuid:p-1', new Date(T0 + 5_000).toISOString()));
    const w = worker(() => ok(undefined));
    expect((await w.drain()).delivered).toBe(0);
    clock.advance(5_000);
    expect((await w.drain()).delivered).toBe(1);
  });

  it('retries with exponential back-off and jitter, then delivers', async () => {
    await enqueue(outboxEntry('urn:uuid:o-1', 'urn:uuid:p-1'));
    let failures = 2;
    const w = worker(() => (failures-- > 0 ? unreachable() : ok(undefined)));
    expect(await w.drain()).toMatchObject({ retried: 1, delivered: 0 });
    // attempt 1 failed: nominal 1 s, jitter 0.5 → 750 ms
    expect(await row('urn:uuid:o-1')).toMatchObject({ status: 'pending', attempts: 1, next_attempt_at: T0 + 750, last_error: 'SOV_OUTBOX_DELIVERY_FAILED: connection refused' });
    clock.advance(749);
    expect(await w.drain()).toMatchObject({ retried: 0, delivered: 0 });
    clock.advance(1);
    expect(await w.drain()).toMatchObject({ retried: 1 });
    // attempt 2 failed: nominal 2 s → 1500 ms
    expect((await row('urn:uuid:o-1'))?.next_attempt_at).toBe(T0 + 750 + 1_500);
    clock.advance(1_500);
    expect(await w.drain()).toMatchObject({ delivered: 1 });
    expect(await row('urn:uuid:o-1')).toMatchObject({ status: 'delivered', attempts: 3 });
    expect(gaveUp).toEqual([]);
  });

  it('gives up after the last attempt: onGiveUp once with the reason, marked failed, never sent again', async () => {
    await enqueue(outboxEntry('urn:uuid:o-1', 'urn:uuid:p-1'));
    const w = worker(unreachable);
    for (let i = 0; i < 10; i++) {
      await w.drain();
      clock.advance(60_000);
    }
    expect(sent).toHaveLength(4);
    expect(gaveUp).toHaveLength(1);
    expect(gaveUp[0]?.failure).toMatchObject({ code: 'SOV_OUTBOX_GAVE_UP', data: { outboxId: 'urn:uuid:o-1', attempts: 4 } });
    expect(gaveUp[0]?.failure.detail).toContain('connection refused');
    expect(await row('urn:uuid:o-1')).toMatchObject({ status: 'failed', attempts: 4 });
  });

  it('gives up at once on a failure the caller marks permanent', async () => {
    await enqueue(outboxEntry('urn:uuid:o-1', 'urn:uuid:p-1'));
    const w = worker(() => fail('SOV_NEG_ILLEGAL_TRANSITION', 'peer says 400'), { isPermanent: (f) => f.code === 'SOV_NEG_ILLEGAL_TRANSITION' });
    expect(await w.drain()).toMatchObject({ gaveUp: 1 });
    expect(gaveUp[0]?.failure.code).toBe('SOV_NEG_ILLEGAL_TRANSITION');
  });

  it('treats a throwing deliver as a failed attempt', async () => {
    await enqueue(outboxEntry('urn:uuid:o-1', 'urn:uuid:p-1'));
    const w = worker(() => {
      throw new Error('socket hang up');
    });
    expect(await w.drain()).toMatchObject({ retried: 1 });
    expect((await row('urn:uuid:o-1'))?.last_error).toMatch(/SOV_OUTBOX_DELIVERY_FAILED: .*socket hang up/);
  });

  it('keeps the entry when onGiveUp throws, and gives up again later', async () => {
    await enqueue(outboxEntry('urn:uuid:o-1', 'urn:uuid:p-1'));
    let hookFailures = 1;
    const w = worker(unreachable, {
      retry: { maxAttempts: 1, baseDelayMs: 1_000, maxDelayMs: 60_000 },
      onGiveUp: async (entry, failure) => {
        if (hookFailures-- > 0) throw new Error('store busy');
        gaveUp.push({ id: entry.id, failure });
      },
    });
    expect(await w.drain()).toMatchObject({ retried: 1 });
    expect(await row('urn:uuid:o-1')).toMatchObject({ status: 'pending', last_error: 'giving up failed: store busy' });
    clock.advance(60_000);
    expect(await w.drain()).toMatchObject({ gaveUp: 1 });
    // The second round gave up without another delivery attempt.
    expect(sent).toHaveLength(1);
    expect(await row('urn:uuid:o-1')).toMatchObject({ status: 'failed' });
  });

  it('re-delivers an entry leased by a crashed worker once its lease ends', async () => {
    await enqueue(outboxEntry('urn:uuid:o-1', 'urn:uuid:p-1'));
    const store = sqlOutboxStore(db);
    // The crashed worker leased the entry and died before settling it.
    const [leased] = await store.lease({ now: clock.now(), leaseUntil: clock.now() + 30_000, leaseToken: 'dead/1', limit: 10 });
    expect(leased?.entry.id).toBe('urn:uuid:o-1');
    const survivor = worker(() => ok(undefined));
    clock.advance(29_999);
    expect((await survivor.drain()).delivered).toBe(0);
    clock.advance(1);
    expect((await survivor.drain()).delivered).toBe(1);
    expect(await row('urn:uuid:o-1')).toMatchObject({ status: 'delivered', attempts: 2 });
    // The dead worker's late settlement is refused: its lease is gone.
    expect(await store.markDelivered('urn:uuid:o-1', 'dead/1', clock.now())).toBe(false);
    expect(await store.reschedule('urn:uuid:o-1', 'dead/1', { nextAttemptAt: 0, lastError: 'x', now: clock.now() })).toBe(false);
  });

  it('gives up on an entry whose worker crashed on every attempt', async () => {
    await enqueue(outboxEntry('urn:uuid:o-1', 'urn:uuid:p-1'));
    const store = sqlOutboxStore(db);
    for (let i = 0; i < 4; i++) {
      await store.lease({ now: clock.now(), leaseUntil: clock.now() + 30_000, leaseToken: `dead/${i}`, limit: 10 });
      clock.advance(30_000);
    }
    expect(await worker(() => ok(undefined)).drain()).toMatchObject({ gaveUp: 1, delivered: 0 });
    expect(sent).toEqual([]);
    expect(gaveUp[0]?.failure).toMatchObject({ code: 'SOV_OUTBOX_GAVE_UP', data: { attempts: 4 } });
  });

  it('under two concurrent workers, delivers each entry exactly once', async () => {
    const entries = Array.from({ length: 120 }, (_, i) => outboxEntry(`urn:uuid:o-${i}`, `urn:uuid:p-${i}`));
    await enqueue(...entries);
    const deliveredBy = new Map<string, string[]>();
    const make = (name: string) =>
      worker(
        async (entry) => {
          deliveredBy.set(entry.id, [...(deliveredBy.get(entry.id) ?? []), name]);
          await new Promise((resolve) => setImmediate(resolve));
          return ok(undefined);
        },
        { batchSize: 7, workerId: name },
      );
    const [a, b] = await Promise.all([make('a').drain(), make('b').drain()]);
    expect(a.delivered + b.delivered).toBe(120);
    expect(a.lostLeases + b.lostLeases).toBe(0);
    expect([...deliveredBy.values()].every((names) => names.length === 1)).toBe(true);
    expect(deliveredBy.size).toBe(120);
    expect(await db.get(`SELECT COUNT(*) AS n FROM outbox_entry WHERE status = 'delivered'`)).toEqual({ n: 120 });
  });

  it('sends the messages of one process in order: a later one waits for the earlier one', async () => {
    await enqueue(outboxEntry('urn:uuid:o-1', 'urn:uuid:p-1'), outboxEntry('urn:uuid:o-2', 'urn:uuid:p-1'), outboxEntry('urn:uuid:o-3', 'urn:uuid:p-2'));
    let firstFails = true;
    const w = worker((entry) => (entry.id === 'urn:uuid:o-1' && firstFails ? ((firstFails = false), unreachable()) : ok(undefined)));
    await w.drain();
    expect(sent).toEqual(expect.arrayContaining(['urn:uuid:o-1', 'urn:uuid:o-3']));
    expect(sent).not.toContain('urn:uuid:o-2');
    clock.advance(1_000);
    await w.drain();
    expect(sent.slice(-2)).toEqual(['urn:uuid:o-1', 'urn:uuid:o-2']);
  });

  it('refills a slot as soon as its delivery settles: a slow delivery holds back no later entry', async () => {
    await enqueue(...['1', '2', '3', '4'].map((n) => outboxEntry(`urn:uuid:o-${n}`, `urn:uuid:p-${n}`)));
    let release: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => (release = resolve));
    let othersDone: () => void = () => undefined;
    const others = new Promise<void>((resolve) => (othersDone = resolve));
    let delivered = 0;
    const w = worker(
      async (entry) => {
        if (entry.id === 'urn:uuid:o-1') await slow;
        else if ((delivered += 1) === 3) othersDone();
        return ok(undefined);
      },
      { batchSize: 2 },
    );
    const draining = w.drain();
    // Two slots: o-1 hangs in one, o-2, o-3 and o-4 pass through the other meanwhile.
    await others;
    expect(sent).toEqual(['urn:uuid:o-1', 'urn:uuid:o-2', 'urn:uuid:o-3', 'urn:uuid:o-4']);
    release();
    expect(await draining).toEqual({ delivered: 4, retried: 0, gaveUp: 0, lostLeases: 0 });
  });

  it('reports a store failing while it settles once the deliveries in flight have settled, instead of losing it', async () => {
    await enqueue(outboxEntry('urn:uuid:o-1', 'urn:uuid:p-1'), outboxEntry('urn:uuid:o-2', 'urn:uuid:p-2'));
    const store = sqlOutboxStore(db);
    const markDelivered: typeof store.markDelivered = (...args) => (args[0] === 'urn:uuid:o-1' ? Promise.reject(new Error('disk full')) : store.markDelivered(...args));
    const failing = { ...store, markDelivered };
    const w = worker(() => ok(undefined), { store: failing });
    await expect(w.drain()).rejects.toThrow('disk full');
    expect(sent).toEqual(['urn:uuid:o-1', 'urn:uuid:o-2']);
    expect(await row('urn:uuid:o-2')).toMatchObject({ status: 'delivered' });
    // The entry whose settlement failed is still pending: its lease ends and it is sent again.
    expect(await row('urn:uuid:o-1')).toMatchObject({ status: 'pending' });
  });

  it('runs drains called at once side by side, the poller\'s among them, and still stops', async () => {
    await enqueue(...['1', '2', '3'].map((n) => outboxEntry(`urn:uuid:o-${n}`, `urn:uuid:p-${n}`)));
    // One slot each: both drains wait with a delivery in flight at the same time.
    const w = worker(async () => (await new Promise((resolve) => setImmediate(resolve)), ok(undefined)), { pollIntervalMs: 3_600_000, batchSize: 1 });
    const reports = await Promise.all([w.drain(), w.drain()]);
    expect(reports.reduce((sum, report) => sum + report.delivered, 0)).toBe(3);
    w.start();
    await enqueue(outboxEntry('urn:uuid:o-4', 'urn:uuid:p-4'));
    w.wake();
    await w.drain();
    await w.stop();
    expect(await db.get(`SELECT COUNT(*) AS n FROM outbox_entry WHERE status = 'delivered'`)).toEqual({ n: 4 });
  });

  it('stops leasing when stopped, lets the deliveries in flight settle, and drains again afterwards', async () => {
    await enqueue(outboxEntry('urn:uuid:o-1', 'urn:uuid:p-1'));
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started: () => void = () => undefined;
    const inFlight = new Promise<void>((resolve) => (started = resolve));
    const w = worker(async () => (started(), await gate, ok(undefined)), { pollIntervalMs: 3_600_000 });
    w.start();
    await inFlight;
    await enqueue(outboxEntry('urn:uuid:o-2', 'urn:uuid:p-2'));
    w.wake();
    const stopped = w.stop();
    release();
    await stopped;
    expect(sent).toEqual(['urn:uuid:o-1']);
    expect(await row('urn:uuid:o-1')).toMatchObject({ status: 'delivered' });
    expect(await w.drain()).toMatchObject({ delivered: 1 });
    expect(sent).toEqual(['urn:uuid:o-1', 'urn:uuid:o-2']);
  });

  it('drains at once when woken instead of waiting for the next poll, also when woken during a round', async () => {
    const deliveries: string[] = [];
    let reportDelivery: (id: string) => void = () => undefined;
    const next = () => new Promise<string>((resolve) => (reportDelivery = resolve));
    const w = worker((entry) => (deliveries.push(entry.id), reportDelivery(entry.id), ok(undefined)), { pollIntervalMs: 3_600_000 });
    w.wake(); // not started: nothing happens
    w.start();
    let delivered = next();
    await enqueue(outboxEntry('urn:uuid:o-1', 'urn:uuid:p-1'));
    w.wake();
    expect(await delivered).toBe('urn:uuid:o-1');
    // Woken while the round that delivered o-1 may still be settling: another round follows.
    delivered = next();
    await enqueue(outboxEntry('urn:uuid:o-2', 'urn:uuid:p-2'));
    w.wake();
    expect(await delivered).toBe('urn:uuid:o-2');
    await w.stop();
    expect(deliveries).toEqual(['urn:uuid:o-1', 'urn:uuid:o-2']);
  });

  it('polls on a timer after start() and stops cleanly', async () => {
    let reportDelivery: (id: string) => void = () => undefined;
    const delivered = new Promise<string>((resolve) => (reportDelivery = resolve));
    const w = worker((entry) => (reportDelivery(entry.id), ok(undefined)), { pollIntervalMs: 5 });
    w.start();
    await enqueue(outboxEntry('urn:uuid:o-1', 'urn:uuid:p-1'));
    expect(await delivered).toBe('urn:uuid:o-1');
    await w.stop();
    expect(await row('urn:uuid:o-1')).toMatchObject({ status: 'delivered' });
  });
});
