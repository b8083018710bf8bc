/**
 * Signed checkpoints (issue 5: "Signed checkpoints … at a fixed interval of entries or
 * time"). A checkpoint signs (seq, head hash, time): entries up to it cannot be changed,
 * removed or the tail truncated without either breaking the chain or the signature, which only
 * kms can produce. Entries after the newest checkpoint are protected by the chain alone.
 */
import type { AuditCheckpoint, AuditSigner, ChainHead } from './ports.js';

const CHECKPOINT_TAG = 'sov-audit-checkpoint/1';

export interface CheckpointPolicy {
  /** Checkpoint when this many entries were appended since the last one. Default 100. */
  everyEntries: number;
  /** …or when the last one is at least this old (ms) at the next append. Default 10 minutes. */
  everyMs: number;
}

export const defaultCheckpointPolicy: CheckpointPolicy = { everyEntries: 100, everyMs: 10 * 60 * 1000 };

export function checkpointMessage(seq: number, headHash: string, time: string): Uint8Array {
  return new TextEncoder().encode(JSON.stringify([CHECKPOINT_TAG, seq, headHash, time]));
}

/** Entry 1 anchors the chain's start; after that, count or age decides. */
export function checkpointDue(policy: CheckpointPolicy, head: ChainHead, last: AuditCheckpoint | undefined, now: number): boolean {
  if (last === undefined) return true;
  if (head.seq <= last.seq) return false;
  return head.seq - last.seq >= policy.everyEntries || now - Date.parse(last.time) >= policy.everyMs;
}

export async function signCheckpoint(signer: AuditSigner, head: ChainHead, time: string): Promise<AuditCheckpoint> {
  const { keyId, signature } = await signer.sign(checkpointMessage(head.seq, head.hash, time));
  return { seq: head.seq, headHash: head.hash, time, keyId, signature };
}

export function checkpointSignatureValid(signer: AuditSigner, checkpoint: AuditCheckpoint): Promise<boolean> {
  return signer.verify(checkpointMessage(checkpoint.seq, checkpoint.headHash, checkpoint.time), checkpoint.signature, checkpoint.keyId);
}
