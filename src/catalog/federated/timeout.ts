/**
 * A per-partner deadline on the injected timer: whatever the partner does, the crawl of the
 * others goes on once `ms` have passed. A rejection of the work (a bug or a transport crash in
 * an adapter) becomes a recorded failure of that partner, not of the whole crawl.
 */
import { fail, type Result } from '../../errors/index.js';
import type { Timer } from './ports.js';

export function withTimeout<T>(work: Promise<Result<T>>, options: { ms: number; timer: Timer; onTimeout: () => Result<T> }): Promise<Result<T>> {
  return new Promise((resolve) => {
    const handle = options.timer.set(() => resolve(options.onTimeout()), options.ms);
    work.then(
      (result) => {
        options.timer.clear(handle);
        resolve(result);
      },
      (error: unknown) => {
        options.timer.clear(handle);
        resolve(fail('SOV_FEDCAT_CRAWL_FAILED', `the crawl threw: ${error instanceof Error ? error.message : String(error)}`));
      },
    );
  });
}
