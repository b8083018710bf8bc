/**
 * `verifyAuditLog` (issue 5: "detects any changed, removed, inserted or reordered entry and
 * names the first bad one"). Walks the chain in seq order recomputing every hash and link,
 * then checks each checkpoint's signature and that the entry it signed is still there with
 * the same hash. The outcome is a value, like `@digitalbazaar/vc`'s `{ verified, errors }`.
 */
import { entryHash, GENESIS_HASH, type AuditRecord } from './entry.js';
import { checkpointSignatureValid } from './checkpoint.js';
import type { AuditCheckpoint, AuditRepository, AuditSigner, ChainHead } from './ports.js';

export type AuditProblemKind =
  | 'entry-altered'
  | 'chain-broken'
  | 'entry-missing'
  | 'log-truncated'
  | 'checkpoint-mismatch'
  | 'checkpoint-signature-invalid';

export interface AuditProblem {
  seq: number;
  kind: AuditProblemKind;
  detail: string;
}

export interface AuditVerification {
  verified: boolean;
  entries: number;
  checkpoints: number;
  head?: ChainHead;
  /**
   * Seq of the newest checkpoint that verified with no problem at or before it: entries up to
   * it are proven; later ones are only chained (0 when none).
   */
  signedThrough: number;
  firstProblem?: AuditProblem;
  /** Every problem found, by seq (at most 100). */
  problems: AuditProblem[];
}

export interface VerifyOptions {
  repository: AuditRepository<unknown>;
  signer: AuditSigner;
  /** Records read per query. Default 1000. */
  batchSize?: number;
}

const MAX_PROBLEMS = 100;

interface Walk {
  expected: number;
  prevHash: string;
  entries: number;
  head?: ChainHead;
  problems: AuditProblem[];
  /** Stored hash of each entry a checkpoint names. */
  signedHashes: Map<number, string>;
}

export async function verifyAuditLog(options: VerifyOptions): Promise<AuditVerification> {
  const checkpoints = await options.repository.checkpoints();
  const walk: Walk = { expected: 1, prevHash: GENESIS_HASH, entries: 0, problems: [], signedHashes: new Map() };
  const checkpointSeqs = new Set(checkpoints.map((checkpoint) => checkpoint.seq));
  for (let after = 0; ; ) {
    const batch = await options.repository.recordsAfter(after, options.batchSize ?? 1000);
    if (batch.length === 0) break;
    for (const record of batch) checkRecord(walk, record, checkpointSeqs);
    after = (batch[batch.length - 1] as AuditRecord).seq;
  }
  const verifiedSeqs = await checkCheckpoints(walk, checkpoints, options.signer);
  const problems = walk.problems.sort((a, b) => a.seq - b.seq).slice(0, MAX_PROBLEMS);
  const firstBad = problems[0]?.seq ?? Infinity;
  const signedThrough = Math.max(0, ...verifiedSeqs.filter((seq) => seq < firstBad));
  const result: AuditVerification = { verified: problems.length === 0, entries: walk.entries, checkpoints: checkpoints.length, signedThrough, problems };
  if (walk.head) result.head = walk.head;
  if (problems[0]) result.firstProblem = problems[0];
  return result;
}

function checkRecord(walk: Walk, record: AuditRecord, checkpointSeqs: Set<number>): void {
  const { seq } = record;
  if (seq > walk.expected) {
    const missing = seq - 1 === walk.expected ? `entry ${walk.expected} is` : `entries ${walk.expected}–${seq - 1} are`;
    walk.problems.push({ seq: walk.expected, kind: 'entry-missing', detail: `${missing} missing: the log jumps to ${seq}` });
  } else if (record.prevHash !== walk.prevHash) {
    walk.problems.push({
      seq,
      kind: 'chain-broken',
      detail: `entry ${seq} does not link to entry ${seq - 1}: an entry was changed, inserted, removed or reordered at this point`,
    });
  }
  if (entryHash(record) !== record.hash) {
    walk.problems.push({ seq, kind: 'entry-altered', detail: `entry ${seq} does not match its hash: a field was changed` });
  }
  if (checkpointSeqs.has(seq)) walk.signedHashes.set(seq, record.hash);
  walk.expected = seq + 1;
  walk.prevHash = record.hash;
  walk.entries += 1;
  walk.head = { seq, hash: record.hash };
}

/** Records checkpoint problems; returns the seqs of the checkpoints that verified. */
async function checkCheckpoints(walk: Walk, checkpoints: AuditCheckpoint[], signer: AuditSigner): Promise<number[]> {
  const verified: number[] = [];
  let truncationReported = false;
  const lastSeq = walk.head?.seq ?? 0;
  for (const checkpoint of checkpoints) {
    const stored = walk.signedHashes.get(checkpoint.seq);
    const signatureValid = await checkpointSignatureValid(signer, checkpoint);
    if (!signatureValid) {
      walk.problems.push({ seq: checkpoint.seq, kind: 'checkpoint-signature-invalid', detail: `the checkpoint at entry ${checkpoint.seq} has no valid signature by ${checkpoint.keyId}` });
    }
    if (stored === undefined && checkpoint.seq > lastSeq && !truncationReported) {
      truncationReported = true;
      walk.problems.push({ seq: lastSeq + 1, kind: 'log-truncated', detail: `the log ends at entry ${lastSeq} but a checkpoint signed entry ${checkpoint.seq}: the tail was removed` });
    } else if (stored !== undefined && stored !== checkpoint.headHash) {
      walk.problems.push({ seq: checkpoint.seq, kind: 'checkpoint-mismatch', detail: `entry ${checkpoint.seq} is not the entry its checkpoint signed` });
    }
    if (signatureValid && stored === checkpoint.headHash) verified.push(checkpoint.seq);
  }
  return verified;
}
