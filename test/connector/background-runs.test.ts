import { describe, expect, it, vi } from 'vitest';
import { createBackgroundRuns, type BackgroundRunsOptions } from '../../src/connector/background-runs.js';

const turn = () => new Promise((resolve) => setImmediate(resolve));

/** Runs that end only when the test ends them, recording when each began. */
function held(over: Partial<BackgroundRunsOptions<string>> = {}) {
  const started: Array<{ id: string; attempt: number }> = [];
  const pending = new Map<string, { resolve: (result: string) => void; reject: (error: Error) => void }>();
  const errors: Array<{ id: string; error: unknown }> = [];
  const runs = createBackgroundRuns<string>({
    concurrency: 2,
    run: (id, attempt) => {
      started.push({ id, attempt });
      return new Promise<string>((resolve, reject) => pending.set(id, { resolve, reject }));
    },
    onError: (id, error) => errors.push({ id, error }),
    ...over,
  });
  const end = (id: string, result = `done ${id}`) => {
    pending.get(id)?.resolve(result);
    pending.delete(id);
  };
  const fail = (id: string, error: Error) => {
    pending.get(id)?.reject(error);
    pending.delete(id);
  };
  return { runs, started, pending, errors, end, fail, ids: () => started.map((run) => run.id) };
}

describe('background runs', () => {
  it('runs at most `concurrency` queued ones at once, the next as one ends', async () => {
    const { runs, ids, end } = held();
    ['a', 'b', 'c', 'd'].forEach((id) => runs.enqueue(id));
    expect(ids()).toEqual([]);
    await turn();
    expect(ids()).toEqual(['a', 'b']);
    end('a');
    await turn();
    expect(ids()).toEqual(['a', 'b', 'c']);
    end('b');
    await turn();
    expect(ids()).toEqual(['a', 'b', 'c', 'd']);
    end('c');
    end('d');
    await runs.idle();
  });

  it('never queues or runs an id twice: a second enqueue is ignored, runNow joins the run in flight', async () => {
    const { runs, ids, end } = held({ concurrency: 1 });
    runs.enqueue('a');
    runs.enqueue('a');
    runs.enqueue('b');
    await turn();
    runs.enqueue('a');
    // `b` is taken off the queue and runs at once, beside the queued run; asking again joins it.
    const now = runs.runNow('b');
    expect(runs.runNow('b')).toBe(now);
    expect(ids()).toEqual(['a', 'b']);
    end('a');
    await turn();
    expect(ids()).toEqual(['a', 'b']);
    end('b');
    expect(await now).toBe('done b');
    await runs.idle();
    expect(ids()).toEqual(['a', 'b']);
  });

  it('queues a run again after its delay when its result asks, the id taken meanwhile', async () => {
    const { runs, started, end } = held({ retry: { wanted: (result) => result === 'again', delayMs: 5 } });
    runs.enqueue('a');
    await turn();
    end('a', 'again');
    await turn();
    runs.enqueue('a');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(started).toEqual([{ id: 'a', attempt: 0 }, { id: 'a', attempt: 1 }]);
    end('a');
    await runs.idle();
    expect(started).toHaveLength(2);
  });

  it('stop takes nothing new, drops the queue and the retries waiting, and waits for the running ones', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const { runs, ids, end } = held({ concurrency: 1, retry: { wanted: (result) => result === 'again', delayMs: 60_000 } });
      runs.enqueue('a');
      runs.enqueue('b');
      runs.runNow('r');
      await turn();
      end('r', 'again');
      await turn();
      expect(vi.getTimerCount()).toBe(1);
      let stopped = false;
      const stopping = runs.stop().then(() => {
        stopped = true;
      });
      expect(vi.getTimerCount()).toBe(0);
      runs.enqueue('c');
      expect(runs.runNow('d')).toBeUndefined();
      await turn();
      expect(stopped).toBe(false);
      end('a', 'again');
      await stopping;
      expect(vi.getTimerCount()).toBe(0);
      await runs.idle();
      expect(ids()).toEqual(['r', 'a']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('hands a run that rejects to onError and frees its slot; a runNow caller sees the rejection too', async () => {
    const { runs, ids, errors, end, fail } = held({ concurrency: 1 });
    runs.enqueue('a');
    runs.enqueue('b');
    await turn();
    const broken = new Error('the store failed');
    fail('a', broken);
    await turn();
    expect(errors).toEqual([{ id: 'a', error: broken }]);
    expect(ids()).toEqual(['a', 'b']);
    const joined = runs.runNow('c');
    fail('c', broken);
    await expect(joined).rejects.toBe(broken);
    end('b');
    await runs.idle();
  });
});
