/**
 * A FIFO promise mutex. The SQLite adapter runs on one synchronous connection, so every
 * statement and every transaction takes this lock: statements of two concurrent
 * `transaction()` calls never interleave, and a statement outside a transaction waits for
 * the open transaction instead of silently joining it.
 */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  async runExclusive<T>(fn: () => T | Promise<T>): Promise<T> {
    const previous = this.tail;
    let release: () => void = () => undefined;
    this.tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    try {
      return await fn();
    } finally {
      release();
    }
  }
}
