import { describe, expect, it, vi } from 'vitest';
import { createDataPlanePushes, type DataPlanePushesOptions } from '../../src/connector/dataplane-pushes.js';
import { fail, ok, type Result } from '../../src/errors/index.js';
import { createLogger } from '../../src/http/index.js';
import type { TransferProcess } from '../../src/transfer/index.js';

const transfer = (id: string, over: Partial<TransferProcess> = {}): TransferProcess => ({
  id, role: 'provider', state: 'STARTED', format: 'HttpData-PUSH', counterpartyDid: 'did:web:eu.example', counterpartyAddress: 'http://eu.example/dsp',
  agreementId: 'urn:uuid:a1', datasetId: 'urn:uuid:d1', received: {}, createdAt: '', updatedAt: '', version: 1, ...over,
});

/** A runner over an in-memory transfer table whose pushes answer from `answers` in turn. */
function runner(answers: Array<Result<unknown>>, records: TransferProcess[] = [transfer('t1')], over: Partial<DataPlanePushesOptions> = {}) {
  const table = new Map(records.map((r) => [r.id, r]));
  const pushed: string[] = [];
  const terminated: Array<{ id: string; code: string }> = [];
  const closed: string[] = [];
  const recovered: string[] = [];
  const logger = createLogger({ level: 'silent' });
  const errors = vi.spyOn(logger, 'error');
  const options: DataPlanePushesOptions = {
    transfers: {
      get: async (id) => table.get(id),
      list: async (query) => ok({ items: [...table.values()].filter((r) => query?.state === undefined || r.state === query.state) }),
      terminate: async (id, why) => {
        terminated.push({ id, code: why?.code as string });
        const record = { ...(table.get(id) as TransferProcess), state: 'TERMINATED' as const };
        table.set(id, record);
        return ok(record);
      },
    },
    push: async (id) => {
      pushed.push(id);
      return answers.shift() ?? ok(undefined);
    },
    closeSink: async (id) => void closed.push(id),
    recoverSink: async (record) => {
      recovered.push(record.id);
      return ok(undefined);
    },
    logger,
    retries: 2,
    retryDelayMs: 1,
    ...over,
  };
  return { pushes: createDataPlanePushes(options), table, pushed, terminated, closed, recovered, errors };
}

describe('the connector pushes push transfers by itself', () => {
  it('pushes a provider push transfer once it is STARTED, and nothing else', async () => {
    const { pushes, pushed } = runner([]);
    pushes.notice(transfer('t1'));
    pushes.notice(transfer('t2', { state: 'REQUESTED' }));
    pushes.notice(transfer('t3', { format: 'HttpData-PULL' }));
    pushes.notice(transfer('t4', { role: 'consumer' }));
    await pushes.idle();
    expect(pushed).toEqual(['t1']);
  });

  it('tries a deferred push again a few times, then leaves it STARTED for the next start', async () => {
    const interrupted = fail('SOV_DATAPLANE_PUSH_INTERRUPTED', 'cut');
    const { pushes, pushed, terminated, table } = runner([interrupted, interrupted, interrupted]);
    pushes.notice(transfer('t1'));
    await pushes.idle();
    expect(pushed).toEqual(['t1', 't1', 't1']);
    expect(terminated).toEqual([]);
    expect(table.get('t1')?.state).toBe('STARTED');
    expect(await pushes.resumeInterrupted()).toBe(1);
    await pushes.idle();
    expect(pushed).toHaveLength(4);
  });

  it('tries again a push the consumer failed on (5xx) instead of ending the transfer', async () => {
    const failing = fail('SOV_DATAPLANE_PEER_REFUSED', 'consumer.example refused: internal error', { status: 500 });
    const { pushes, pushed, terminated } = runner([failing, failing]);
    pushes.notice(transfer('t1'));
    await pushes.idle();
    expect(pushed).toEqual(['t1', 't1', 't1']);
    expect(terminated).toEqual([]);
  });

  it('terminates a push the consumer refuses for good, with its code', async () => {
    const { pushes, terminated } = runner([fail('SOV_DATAPLANE_DIGEST_MISMATCH', 'altered')]);
    pushes.notice(transfer('t1'));
    await pushes.idle();
    expect(terminated).toEqual([{ id: 't1', code: 'SOV_DATAPLANE_DIGEST_MISMATCH' }]);
  });

  it('leaves alone a refused push whose transfer already ended (the consumer terminated it first)', async () => {
    const { pushes, terminated, table } = runner([fail('SOV_DATAPLANE_DIGEST_MISMATCH', 'altered')]);
    table.set('t1', transfer('t1', { state: 'TERMINATED' }));
    pushes.notice(transfer('t1'));
    await pushes.idle();
    expect(terminated).toEqual([]);
  });

  it('closes the sink of a push we receive once it is terminated', async () => {
    const { pushes, closed } = runner([]);
    pushes.notice(transfer('c1', { role: 'consumer', state: 'TERMINATED' }));
    pushes.notice(transfer('c2', { role: 'consumer', state: 'COMPLETED' }));
    await pushes.idle();
    expect(closed).toEqual(['c1']);
  });

  it('recovers at start the sinks of the pushes we receive that are under way, whether or not it pushes by itself', async () => {
    const records = [
      transfer('c1', { role: 'consumer', state: 'REQUESTED' }), transfer('c2', { role: 'consumer' }), transfer('c3', { role: 'consumer', state: 'SUSPENDED' }),
      transfer('c4', { role: 'consumer', state: 'COMPLETED' }), transfer('c5', { role: 'consumer', format: 'HttpData-PULL' }), transfer('t1'),
    ];
    const { pushes, recovered, pushed } = runner([], records, { automatic: false });
    expect(await pushes.resumeInterrupted()).toBe(0);
    expect(recovered).toEqual(['c1', 'c2', 'c3']);
    await pushes.idle();
    expect(pushed).toEqual([]);
  });

  it('recovers the sink of a push we receive as it is acknowledged or starts (a request stopped before its acknowledgement)', async () => {
    const { pushes, recovered } = runner([], []);
    pushes.notice(transfer('c1', { role: 'consumer', state: undefined }));
    pushes.notice(transfer('c1', { role: 'consumer', state: 'REQUESTED' }));
    pushes.notice(transfer('c1', { role: 'consumer', state: 'STARTED' }));
    pushes.notice(transfer('c2', { role: 'consumer', state: 'STARTED', format: 'HttpData-PULL' }));
    await pushes.idle();
    expect(recovered).toEqual(['c1', 'c1']);
  });

  it('a push whose run throws (its store failing) is logged and frees its slot: later pushes still run', async () => {
    const table = new Map([transfer('t1'), transfer('t2')].map((r) => [r.id, r]));
    const pushed: string[] = [];
    const { pushes, errors } = runner([], [], {
      concurrency: 1,
      transfers: {
        get: async (id) => {
          if (id === 't1') throw new Error('database is locked');
          return table.get(id);
        },
        list: async () => ok({ items: [] }),
        terminate: async (id) => ok(transfer(id, { state: 'TERMINATED' })),
      },
      push: async (id) => {
        pushed.push(id);
        return fail('SOV_DATAPLANE_DIGEST_MISMATCH', 'altered');
      },
    });
    pushes.notice(transfer('t1'));
    pushes.notice(transfer('t2'));
    await pushes.idle();
    expect(pushed).toEqual(['t1', 't2']);
    expect(errors).toHaveBeenCalledWith(expect.objectContaining({ transfer: 't1' }), expect.stringContaining('push failed unexpectedly'));
  });

  it('a sink that fails to close is logged, not left as an unhandled rejection', async () => {
    const { pushes, errors } = runner([], [], { closeSink: async () => Promise.reject(new Error('disk gone')) });
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      pushes.notice(transfer('c1', { role: 'consumer', state: 'TERMINATED' }));
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      expect(errors).toHaveBeenCalledWith(expect.objectContaining({ transfer: 'c1' }), expect.stringContaining('closing the sink'));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });
});
