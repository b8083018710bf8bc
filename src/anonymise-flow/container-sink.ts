/**
 * Where the anonymised table goes: straight into a NEW signed container under a FRESH data key
 * (design.md step 4), encrypted as the anonymiser writes it, so no clear output touches disk.
 * The key and the container are created on the first write only: a transform that fails
 * before writing (the model cannot be met) leaves nothing behind, and `discard` removes the
 * container (committed or pending bytes) and destroys the key of one that failed later.
 */
import type { IdGenerator } from '../clock/index.js';
import { DomainError, ok, type Result } from '../errors/index.js';
import { encryptToContainer, type BulkCrypto, type CiphertextStore, type ContainerOutput, type StoredCiphertext } from '../dataplane/index.js';
import type { Kms } from '../kms/index.js';
import { handoff, type Handoff } from './handoff.js';

export interface SinkDeps {
  store: Pick<CiphertextStore, 'put' | 'delete'>;
  crypto: BulkCrypto;
  kms: Pick<Kms, 'createDataKey' | 'destroyDataKey' | 'withDataKey' | 'sign' | 'activeSigningKey'>;
  ids: IdGenerator;
  /** Our DID: the container is signed as `<did>#<key>`. */
  did: string;
}

export interface SinkTarget {
  /** The container header's dataset id and version (the offering and its source version). */
  datasetId: string;
  datasetVersion: string;
  /** The data key's label in kms (what it protects). */
  keyLabel: string;
}

export interface WrittenContainer {
  containerId: string;
  dataKeyId: string;
  /** BLAKE2b-256 container digest, lowercase hex. */
  containerDigest: string;
  size: number;
}

export interface ContainerSink {
  write(chunk: Uint8Array): Promise<void>;
  finish(): Promise<Result<WrittenContainer>>;
  discard(): Promise<void>;
}

interface Open {
  id: string;
  dataKeyId: string;
  channel: Handoff;
  output: ContainerOutput;
  put: Promise<Result<StoredCiphertext>>;
  /** The put's outcome, never rejecting (raced against every write). */
  settled: Promise<{ result?: Result<StoredCiphertext>; error?: unknown }>;
}

async function openContainerWrite(deps: SinkDeps, target: SinkTarget): Promise<Open> {
  const id = deps.ids.urn();
  const dataKey = await deps.kms.createDataKey(target.keyLabel);
  const channel = handoff();
  const output = encryptToContainer(channel.source, {
    crypto: deps.crypto,
    kms: deps.kms,
    dataKeyId: dataKey.keyId,
    datasetId: target.datasetId,
    datasetVersion: target.datasetVersion,
    signerDid: deps.did,
  });
  const put = deps.store.put(id, output);
  const settled = put.then(
    (result) => ({ result }),
    (error: unknown) => ({ error }),
  );
  return { id, dataKeyId: dataKey.keyId, channel, output, put, settled };
}

/** Hands one chunk over, unless the put ended first: then surfaces its reason to the writer. */
async function handOver(open: Open, chunk: Uint8Array): Promise<void> {
  const early = await Promise.race([open.channel.write(chunk).then(() => undefined), open.settled]);
  if (early === undefined) return;
  if (early.result !== undefined && !early.result.ok) throw new DomainError(early.result);
  throw early.error ?? new Error('the container put ended before the plaintext did');
}

export function containerSink(deps: SinkDeps, target: SinkTarget): ContainerSink {
  let opening: Promise<Open> | undefined;
  const opened = (): Promise<Open> => (opening ??= openContainerWrite(deps, target));
  return {
    async write(chunk) {
      await handOver(await opened(), chunk);
    },
    async finish() {
      const open = await opened();
      open.channel.end();
      const stored = await open.put;
      if (!stored.ok) return stored;
      const summary = open.output.summary;
      if (summary === undefined) throw new Error('the container writer ended without a trailer');
      return ok({ containerId: open.id, dataKeyId: open.dataKeyId, containerDigest: Buffer.from(summary.digest).toString('hex'), size: summary.size });
    },
    async discard() {
      if (opening === undefined) return;
      const open = await opening;
      open.channel.abort(new Error('the anonymised output was discarded'));
      await open.put.catch(() => undefined);
      await deps.store.delete(open.id);
      await deps.kms.destroyDataKey(open.dataKeyId);
    },
  };
}
