/**
 * A PrivacyBudgetRepository kept in one JSON file, so spent ε survives a restart. Spends are
 * serialised within the process and each one re-reads the file and replaces it atomically
 * (write to a temporary file, then rename). One connector process owns the file; the store's
 * database adapter is the one for several processes.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { Result } from '../../errors/index.js';
import { decideSpend, type BudgetState, type PrivacyBudgetRepository } from '../dp/budget.js';

type Ledger = Record<string, number>;

async function load(path: string): Promise<Ledger> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Ledger;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
}

export function fileBudget(path: string): PrivacyBudgetRepository {
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };
  return {
    spend(agreementId, epsilon, total): Promise<Result<BudgetState>> {
      return serial(async () => {
        const ledger = await load(path);
        const decision = decideSpend(agreementId, ledger[agreementId] ?? 0, epsilon, total);
        if (!decision.ok) return decision;
        ledger[agreementId] = decision.value.spent;
        const temporary = `${path}.${process.pid}.tmp`;
        await writeFile(temporary, `${JSON.stringify(ledger, null, 2)}\n`);
        await rename(temporary, path);
        return decision;
      });
    },
    async spent(agreementId) {
      return (await load(path))[agreementId] ?? 0;
    },
  };
}
