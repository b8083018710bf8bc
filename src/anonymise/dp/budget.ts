/**
 * The privacy-budget port: each agreement has a total ε; every query spends part of it, and a
 * query whose ε would exceed what is left is refused before anything is computed or released
 * (sequential composition, Dwork & Roth §3.5). Adapters: in-memory (tests), a JSON file
 * (`adapters/file-budget.ts`), and the store's database adapter.
 */
import { fail, ok, type Result } from '../../errors/index.js';

export interface BudgetState {
  agreementId: string;
  spent: number;
  remaining: number;
}

export interface PrivacyBudgetRepository {
  /**
   * Atomically: if spent + epsilon ≤ total, records the spend and returns the new state; else
   * returns SOV_ANON_BUDGET_EXHAUSTED and records nothing.
   */
  spend(agreementId: string, epsilon: number, total: number): Promise<Result<BudgetState>>;
  /** ε spent so far by an agreement (0 when none). */
  spent(agreementId: string): Promise<number>;
}

/** Float slack so that e.g. ten spends of 0.1 fit a total of 1. */
const SLACK = 1e-9;

/** The decision every adapter applies inside its own atomic section. */
export function decideSpend(agreementId: string, spent: number, epsilon: number, total: number): Result<BudgetState> {
  if (!(epsilon > 0) || !Number.isFinite(epsilon)) throw new Error(`epsilon must be a positive number, got ${epsilon}`);
  if (spent + epsilon > total + SLACK) {
    return fail('SOV_ANON_BUDGET_EXHAUSTED', `agreement ${agreementId} has ε ${Math.max(0, total - spent)} left of ${total}; the query needs ${epsilon}`, {
      agreementId,
      spent,
      total,
      requested: epsilon,
    });
  }
  return ok({ agreementId, spent: spent + epsilon, remaining: Math.max(0, total - spent - epsilon) });
}

export function inMemoryBudget(): PrivacyBudgetRepository {
  const spentBy = new Map<string, number>();
  return {
    async spend(agreementId, epsilon, total) {
      const decision = decideSpend(agreementId, spentBy.get(agreementId) ?? 0, epsilon, total);
      if (decision.ok) spentBy.set(agreementId, decision.value.spent);
      return decision;
    },
    async spent(agreementId) {
      return spentBy.get(agreementId) ?? 0;
    },
  };
}
