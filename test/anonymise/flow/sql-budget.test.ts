/**
 * The SQL privacy-budget ledger (issue 8 "the epsilon budget is enforced across requests and
 * restarts"): on SQLite and Postgres, refused spends record nothing, the spent ε survives
 * reopening the database, and three processes spending at once never exceed the total.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { privacyBudgetMigrations, sqlPrivacyBudget } from '../../../src/anonymise/index.js';
import { openDatabase, type Database } from '../../../src/store/index.js';
import { testDialects, type TestDatabase } from '../../store/test-databases.js';

const child = fileURLToPath(new URL('./budget-child.ts', import.meta.url));

interface Child {
  ready: Promise<void>;
  go(): void;
  granted: Promise<number>;
}

/** Starts a process that spends `attempts` × 0.1 ε once told to go. */
function spender(test: TestDatabase, agreement: string, attempts: number, total: number): Child {
  const env = { ...process.env, BUDGET_URL: test.url, BUDGET_SCHEMA: test.schema ?? '', BUDGET_AGREEMENT: agreement, BUDGET_ATTEMPTS: String(attempts), BUDGET_TOTAL: String(total) };
  const worker = spawn(process.execPath, ['--import', 'tsx', child], { env, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: worker.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<string> => String((await lines.next()).value);
  const ready = next().then((line) => expect(line).toBe('ready'));
  const granted = ready.then(async () => (JSON.parse(await next()) as { granted: number }).granted);
  return { ready, go: () => worker.stdin.end('go\n'), granted };
}

async function reopen(test: TestDatabase): Promise<Database> {
  return openDatabase(test.url, test.schema === undefined ? { synchronous: 'normal' } : { schema: test.schema });
}

describe.each(testDialects)('SQL privacy budget on $dialect', ({ open }) => {
  let test: TestDatabase;
  afterEach(async () => test.dispose());

  it('grants spends up to the total, then refuses and records nothing', async () => {
    test = await open();
    await test.db.migrate(privacyBudgetMigrations);
    const budget = sqlPrivacyBudget(test.db);
    for (let i = 0; i < 10; i++) expect((await budget.spend('agr-1', 0.1, 1)).ok).toBe(true);
    const refused = await budget.spend('agr-1', 0.1, 1);
    expect(refused).toMatchObject({ ok: false, code: 'SOV_ANON_BUDGET_EXHAUSTED' });
    expect(await budget.spent('agr-1')).toBeCloseTo(1, 9);
    expect(await budget.spent('agr-2')).toBe(0);
    expect(await budget.spend('agr-2', 0.5, 1)).toMatchObject({ ok: true, value: { spent: 0.5, remaining: 0.5 } });
  });

  it('keeps the spent ε across a restart (the database reopened)', async () => {
    test = await open();
    await test.db.migrate(privacyBudgetMigrations);
    expect((await sqlPrivacyBudget(test.db).spend('agr-r', 0.7, 1)).ok).toBe(true);
    const again = await reopen(test);
    await again.migrate(privacyBudgetMigrations);
    const budget = sqlPrivacyBudget(again);
    expect(await budget.spent('agr-r')).toBeCloseTo(0.7, 9);
    expect(await budget.spend('agr-r', 0.4, 1)).toMatchObject({ ok: false, code: 'SOV_ANON_BUDGET_EXHAUSTED', data: { spent: 0.7 } });
    expect((await budget.spend('agr-r', 0.3, 1)).ok).toBe(true);
    await again.close();
  });

  it('never lets three processes spending at once exceed the total', async () => {
    test = await open();
    await test.db.migrate(privacyBudgetMigrations);
    const budget = sqlPrivacyBudget(test.db);
    const children = [spender(test, 'agr-c', 20, 4), spender(test, 'agr-c', 20, 4)];
    await Promise.all(children.map((c) => c.ready));
    children.forEach((c) => c.go());
    let here = 0;
    for (let i = 0; i < 20; i++) if ((await budget.spend('agr-c', 0.1, 4)).ok) here++;
    const granted = [here, ...(await Promise.all(children.map((c) => c.granted)))];
    expect(granted.reduce((a, b) => a + b, 0)).toBe(40);
    expect(await budget.spent('agr-c')).toBeCloseTo(4, 9);
    const row = await test.db.get<{ queries: number }>('SELECT queries FROM anonymise_privacy_budget WHERE agreement_id = ?', ['agr-c']);
    expect(Number(row?.queries)).toBe(40);
  }, 30_000);
});
