/**
 * Detects the misuse of calling a database's own methods from inside its `transaction`
 * callback (ports.ts `Database.transaction`). On SQLite that call would wait forever behind
 * its own transaction in the group-commit queue (sqlite/group-commit.ts); on Postgres it would
 * run outside the transaction. Either is a bug, so it throws at once with a message naming the
 * fix.
 *
 * Opt-in (`detectNestedUse`, on in the store's contract suites): the detection needs an
 * AsyncLocalStorage, and on Node 20 one active AsyncLocalStorage turns on promise hooks for
 * every promise of the process. With it, a connector's negotiations cost ~10% more CPU
 * (dsp.bench.ts, alternating runs) for a check that only ever catches our own bugs.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export class TransactionScope {
  /** Absent when the detection is off: then nothing is tracked. */
  private readonly storage: AsyncLocalStorage<true> | undefined;

  constructor(detect: boolean) {
    this.storage = detect ? new AsyncLocalStorage<true>() : undefined;
  }

  run<T>(fn: () => Promise<T>): Promise<T> {
    return this.storage === undefined ? fn() : this.storage.run(true, fn);
  }

  assertOutside(method: string): void {
    if (this.storage?.getStore() === true) {
      throw new Error(`Database.${method}() called inside a transaction of the same database: use the \`tx\` argument`);
    }
  }
}

/** Guards a transaction executor against use after its transaction has ended. */
export class TransactionLifetime {
  private ended = false;

  end(): void {
    this.ended = true;
  }

  assertOpen(): void {
    if (this.ended) throw new Error('Transaction executor used after its transaction ended');
  }
}
