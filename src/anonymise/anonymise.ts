/**
 * Anonymises one tabular dataset in two passes: the first keeps only quasi-identifier and
 * sensitive codes and partitions them (Mondrian) until the model holds; if it cannot hold
 * within the suppression limit nothing is written (fail closed). The second pass streams the
 * released rows to `write`. On any failure after writing began, the caller discards the output.
 */
import { ok, type Result } from '../errors/index.js';
import type { AnonymisationDeclaration } from './declaration.js';
import { achievedL, release } from './equivalence.js';
import { firstPass, type FirstPass } from './first-pass.js';
import { mondrian } from './mondrian.js';
import type { KeyedHash } from './pseudonym.js';
import { buildReport, type AnonymisationReport } from './report.js';
import { secondPass } from './second-pass.js';
import { readingTable } from './table/index.js';

export interface AnonymiseOptions {
  declaration: AnonymisationDeclaration;
  /** Opens the dataset from its first byte; called once per pass. */
  open: () => AsyncIterable<Uint8Array>;
  /** Receives the anonymised table, chunk by chunk. */
  write: (chunk: Uint8Array) => Promise<void> | void;
  /** Required when a column is pseudonymised: e.g. `await kms.keyedHasher(\`pseudonym:${agreementId}\`)`. */
  keyedHash?: KeyedHash;
}

function partitionFor(decl: AnonymisationDeclaration, first: FirstPass) {
  return mondrian({
    rows: first.rows,
    qis: first.qis,
    sensitive: first.sensitive,
    k: decl.model.k,
    l: decl.model.l ?? 1,
    maxSuppressed: Math.floor(decl.model.maxSuppression * first.rows),
  });
}

export async function anonymiseTable(options: AnonymiseOptions): Promise<Result<AnonymisationReport>> {
  const decl = options.declaration;
  const first = await readingTable(() => firstPass(decl, options.open()));
  if (!first.ok) return first;
  const partitioned = partitionFor(decl, first.value);
  if (!partitioned.ok) return partitioned;
  const released = release(first.value.qis, first.value.rows, partitioned.value);
  const written = await readingTable(() =>
    secondPass({
      declaration: decl,
      header: first.value.header,
      rows: first.value.rows,
      inputDigest: first.value.inputDigest,
      released,
      source: options.open(),
      write: options.write,
      ...(options.keyedHash === undefined ? {} : { keyedHash: options.keyedHash }),
    }),
  );
  if (!written.ok) return written;
  return ok(
    buildReport({
      declaration: decl,
      rowsIn: first.value.rows,
      suppressed: partitioned.value.suppressedCount,
      released,
      lByColumn: achievedL(released, first.value.sensitive),
      inputDigest: first.value.inputDigest,
      output: { sha256: written.value.sha256, bytes: written.value.bytes, columns: written.value.outputHeader },
    }),
  );
}
