import { describe, expect, it } from 'vitest';
import { createDataPlanePushes, type DataPlanePushesOptions } from '../../src/connector/dataplane-pushes.js';
import { fail, ok, type Result } from '../../src/errors/index.js';
import { createLogger } from '../../src/http/index.js';
import type { TransferProcess } from '../../src/transfer/index.js';

const transfer = (id: string, over: Partial<TransferProcess> = {}): TransferProcess => ({
  id, role: 'provider', state: 'STARTED', format: 'HttpData-PUSH', counterpartyDid: 'did:web:eu.example', counterpartyAddress: 'http://eu.example/dsp',
  agreementId: 'urn:uuid:a1', datasetId: 'urn:uuid:d1', received: {}, createdAt: '', updatedAt: '', version: 1, ...over,
});

/** A runner over an in-memory transfer table whose pushes answer from `answers` in turn. */
function runner(answers: Array<Result<unknown>>, records: TransferProcess[] = [transfer('t1')]) {
  const table = new Map(records.map((r) => [r.id, r]));
  const pushed: string[] = [];
  const terminated: Array<{ id: string; code: string }> = [];
  const closed: string[] = [];
  const options: DataPlanePushesOptions = {
    transfers: {
      get: async (id) => table.get(id),
      list: async () => ok({ items: [...table.values()] }),
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
    logger: createLogger({ level: 'silent' }),
    retries: 2,
    retryDelayMs: 1,
  };
  return { pushes: createDataPlanePushes(options), table, pushed, terminated, closed };
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
});
