/**
 * A second connector process for the budget test: opens the same database, says `ready`,
 * waits for `go` on stdin (so all processes spend at the same time), tries BUDGET_ATTEMPTS
 * spends of 0.1 ε of agreement BUDGET_AGREEMENT (total BUDGET_TOTAL), then prints how many
 * were granted as one JSON line.
 */
import { createInterface } from 'node:readline';
import { sqlPrivacyBudget } from '../../../src/anonymise/index.js';
import { openDatabase } from '../../../src/store/index.js';

const env = (name: string): string => process.env[name] ?? '';
const schema = env('BUDGET_SCHEMA');
const db = await openDatabase(env('BUDGET_URL'), schema === '' ? { synchronous: 'normal' } : { schema });
const budget = sqlPrivacyBudget(db);
process.stdout.write('ready\n');
for await (const line of createInterface({ input: process.stdin })) if (line === 'go') break;
let granted = 0;
for (let i = 0; i < Number(env('BUDGET_ATTEMPTS')); i++) {
  if ((await budget.spend(env('BUDGET_AGREEMENT'), 0.1, Number(env('BUDGET_TOTAL')))).ok) granted++;
}
await db.close();
process.stdout.write(`${JSON.stringify({ granted })}\n`);
