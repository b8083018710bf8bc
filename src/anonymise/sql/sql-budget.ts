/**
 * The PrivacyBudgetRepository on the relational store (portable SQL, src/store/ports.ts), for
 * several connector processes sharing one database. A spend is a read-decide-write in one
 * transaction under `tx.lock` on the agreement: Postgres takes a transaction-scoped advisory
 * lock, SQLite serialises write transactions on the file (BEGIN IMMEDIATE), so two processes
 * can never both spend the last ε (sequential composition, Dwork & Roth §3.5). The decision
 * itself is `decideSpend`, the same as every other adapter's.
 */
import type { Result } from '../../errors/index.js';
import type { Database } from '../../store/index.js';
import { decideSpend, type BudgetState, type PrivacyBudgetRepository } from '../dp/budget.js';

type Row = { spent: number };

export function sqlPrivacyBudget(db: Database): PrivacyBudgetRepository {
  return {
    spend(agreementId, epsilon, total): Promise<Result<BudgetState>> {
      return db.transaction(async (tx) => {
        await tx.lock(`anonymise-budget:${agreementId}`);
        const row = await tx.get<Row>('SELECT spent FROM anonymise_privacy_budget WHERE agreement_id = ?', [agreementId]);
        const decision = decideSpend(agreementId, Number(row?.spent ?? 0), epsilon, total);
        if (!decision.ok) return decision;
        await tx.run(
          `INSERT INTO anonymise_privacy_budget (agreement_id, spent, queries) VALUES (?, ?, 1)
           ON CONFLICT (agreement_id) DO UPDATE SET spent = excluded.spent, queries = anonymise_privacy_budget.queries + 1`,
          [agreementId, decision.value.spent],
        );
        return decision;
      });
    },
    async spent(agreementId) {
      const row = await db.get<Row>('SELECT spent FROM anonymise_privacy_budget WHERE agreement_id = ?', [agreementId]);
      return Number(row?.spent ?? 0);
    },
  };
}
