/**
 * Anonymisation: turns a tabular dataset (CSV or JSON Lines) into one a researcher abroad may
 * receive, as the offering's declaration demands: direct identifiers dropped or replaced by
 * keyed pseudonyms (key per agreement, from kms), quasi-identifiers generalised along their
 * hierarchies by strict multidimensional Mondrian until every released class has at least k
 * rows and l distinct sensitive values (suppressing at most the allowed share, else failing
 * closed), and a report of what the output achieves with digests of input and output. For
 * statistics-only offers it answers counts, sums and means by group with Laplace or Gaussian
 * noise, charging each query's ε to the agreement's budget. The domain reads and writes byte
 * streams; `adapters/` holds the file-based pieces, `sql/` the store's budget ledger.
 */
export {
  parseDeclaration,
  checkHeader,
  declarationSchema,
  type AnonymisationDeclaration,
  type ColumnDeclaration,
  type HierarchyDeclaration,
  type TreeNode,
} from './declaration.js';
export { anonymiseTable, type AnonymiseOptions } from './anonymise.js';
export type { AnonymisationReport } from './report.js';
export { pseudonymiser, base32, type KeyedHash } from './pseudonym.js';
export { canonicalJson, canonicalDigest, sha256Hex } from './canonical.js';
export { readTable, tableWriter, csvRecord, csvField, CsvParser, type TableFormat } from './table/index.js';
export { cryptoUniform, seededUniform, type UniformSource } from './dp/random.js';
export { laplace, gaussian, gaussianSigma } from './dp/mechanisms.js';
export { inMemoryBudget, decideSpend, type PrivacyBudgetRepository, type BudgetState } from './dp/budget.js';
export { runDpQuery, dpQuerySchema, type DpQuery, type DpQueryOptions, type DpResult, type DpGroup } from './dp/aggregate.js';
export { loadDeclarationFile, anonymiseFile, fileSource } from './adapters/files.js';
export { fileBudget } from './adapters/file-budget.js';
export { sqlPrivacyBudget } from './sql/sql-budget.js';
export { privacyBudgetMigrations } from './sql/budget-migrations.js';
