/**
 * Receiving a container, pulled or pushed (issue 7 "Transfers"): the ciphertext is verified
 * while it arrives — framing, digest and the provider's signature, with the key named in the
 * header resolved from the provider's DID document — and stored as it is, committed only once
 * the trailer checked out. A broken connection (or a body ending early) resumes from the last
 * whole chunk held (format §4) without fetching again what arrived; a container whose bytes
 * fail verification is discarded, never resumed.
 */
import { DomainError, fail, ok, type Failure, type Result } from '../../errors/index.js';
import { coalesce, WRITE_BYTES } from '../format/coalesce.js';
import { readAll } from '../format/read-all.js';
import {
  ABYTES, FIXED_HEADER_BYTES, LENGTH_PREFIX_BYTES, TRAILER_BYTES, chunkCount, decodeHeader, decodeHeaderLength, type ContainerHeader,
} from '../format/layout.js';
import { verifyContainerStream } from '../container/reader.js';
import { planResume, readStoredHeader, type ResumePoint } from '../container/resume.js';
import type { ContainerSummary } from '../container/trailer.js';
import type { ConsumerDeps, PullProgress } from './consumer-deps.js';
import { TRANSFER_TOKEN_HEADER, type PullAddress } from './data-address.js';
import { peekHeader } from './peek-header.js';

export interface ContainerPull extends ContainerTarget {
  address: PullAddress;
}

/** Container bytes, when the header declares the plaintext length. */
export function containerSize(header: ContainerHeader): number | undefined {
  if (header.plaintextLength === undefined) return undefined;
  return header.headerLength + header.plaintextLength + chunkCount(header.plaintextLength, header.chunkSize) * (LENGTH_PREFIX_BYTES + ABYTES) + TRAILER_BYTES;
}

async function signerKey(deps: ConsumerDeps, header: ContainerHeader, providerDid: string): Promise<Result<Uint8Array>> {
  if (!header.signer.startsWith(`${providerDid}#`)) {
    return fail('SOV_DATAPLANE_UNEXPECTED_SIGNER', `the container is signed by ${header.signer}, not by the provider ${providerDid}`);
  }
  return deps.peers.signingKey(header.signer);
}

/** The header of the bytes kept from an interrupted transfer (read without loading the rest). */
async function pendingHeader(deps: ConsumerDeps, containerId: string): Promise<Result<ContainerHeader>> {
  const fixed = await deps.store.readPending(containerId, { start: 0, end: FIXED_HEADER_BYTES });
  if (!fixed.ok) return fixed;
  const length = decodeHeaderLength(await readAll(fixed.value));
  if (!length.ok) return length;
  const whole = await deps.store.readPending(containerId, { start: 0, end: length.value });
  return whole.ok ? decodeHeader(await readAll(whole.value)) : whole;
}

interface Opened {
  header: ContainerHeader;
  /** What to verify: the bytes arriving (the stored prefix goes in `storedPrefix`). */
  source: AsyncIterable<Uint8Array>;
  storedPrefix?: AsyncIterable<Uint8Array>;
}

/** Where the header comes from: the kept prefix on a resume, else the front of the bytes arriving. */
async function openBody(deps: ConsumerDeps, containerId: string, keepBytes: number, body: AsyncIterable<Uint8Array>): Promise<Result<Opened>> {
  if (keepBytes === 0) {
    const peeked = await peekHeader(body);
    return peeked.ok ? ok({ header: peeked.value.header, source: peeked.value.source }) : peeked;
  }
  const header = await pendingHeader(deps, containerId);
  if (!header.ok) return header;
  const prefix = await deps.store.readPending(containerId, { start: 0, end: keepBytes });
  return prefix.ok ? ok({ header: header.value, source: body, storedPrefix: prefix.value }) : prefix;
}

/** Where container bytes arrive into: our object id, the provider that must have signed them, progress. */
export interface ContainerTarget {
  transferId: string;
  containerId: string;
  providerDid: string;
  onProgress?: (progress: PullProgress) => void;
}

/**
 * Verifies `body` — the container from the resume point `plan` on, pulled or pushed — on top
 * of the kept bytes and stores it, committed only once the trailer checked out. Throws only
 * when the bytes stop arriving (a broken connection); the bytes kept so far stay pending.
 */
export async function storeVerified(deps: ConsumerDeps, target: ContainerTarget, plan: ResumePoint, body: AsyncIterable<Uint8Array>, count: number): Promise<Result<ContainerSummary>> {
  const opened = await openBody(deps, target.containerId, plan.keepBytes, body);
  if (!opened.ok) return opened;
  const { header } = opened.value;
  const key = await signerKey(deps, header, target.providerDid);
  if (!key.ok) return key;
  const verified = verifyContainerStream(opened.value.source, {
    crypto: deps.crypto,
    expectedSignerKey: key.value,
    expectedSigner: header.signer,
    ...(opened.value.storedPrefix === undefined ? {} : { storedPrefix: opened.value.storedPrefix }),
  });
  const total = containerSize(header);
  const report = (bytes: number) => target.onProgress?.({ transferId: target.transferId, bytes, attempt: count, ...(total === undefined ? {} : { total }) });
  const stored = await deps.store.put(target.containerId, counted(verified, plan.keepBytes, report), { resumeAt: plan.keepBytes });
  if (!stored.ok) return stored;
  return verified.verified === undefined ? fail('SOV_DATAPLANE_TRUNCATED', 'the container ended before its trailer') : ok(verified.verified);
}

/**
 * Verifies container `containerId` as committed to our store — framing, digest and the
 * provider's signature, as when it arrived — without keeping its bytes.
 */
export async function verifyStored(deps: ConsumerDeps, containerId: string, providerDid: string): Promise<Result<ContainerSummary>> {
  const header = await readStoredHeader(deps.store, containerId);
  if (!header.ok) return header;
  const key = await signerKey(deps, header.value, providerDid);
  if (!key.ok) return key;
  const bytes = await deps.store.get(containerId);
  if (!bytes.ok) return bytes;
  const verified = verifyContainerStream(bytes.value, { crypto: deps.crypto, expectedSignerKey: key.value, expectedSigner: header.value.signer });
  try {
    for await (const _piece of verified) continue;
  } catch (error) {
    if (error instanceof DomainError) return error.failure;
    return fail('SOV_DATAPLANE_STORE_IO', `reading container ${containerId} back failed: ${(error as Error).message}`);
  }
  return verified.verified === undefined ? fail('SOV_DATAPLANE_TRUNCATED', 'the container ended before its trailer') : ok(verified.verified);
}

/** One attempt: fetch from the resume point, verify, store. Throws only when the connection breaks. */
async function attempt(deps: ConsumerDeps, pull: ContainerPull, count: number): Promise<Result<ContainerSummary>> {
  const plan = await planResume(deps.store, pull.containerId);
  const url = plan.fromChunk === undefined ? pull.address.containerUrl : `${pull.address.containerUrl}?fromChunk=${plan.fromChunk}`;
  const body = await deps.remote.getStream(url, pull.providerDid, { [TRANSFER_TOKEN_HEADER]: pull.address.token });
  return body.ok ? storeVerified(deps, pull, plan, body.value, count) : body;
}

/** Verified pieces in ~1 MiB writes, reporting the bytes held after each piece. */
function counted(source: AsyncIterable<Uint8Array>, start: number, report: (bytes: number) => void): AsyncIterable<Uint8Array> {
  let bytes = start;
  return coalesce(source, WRITE_BYTES, (piece) => report((bytes += piece.length)));
}

/** Failures that say nothing about the bytes: the transfer resumes from what it kept. */
export const isTransientFailure = (failure: Failure) => ['SOV_UPSTREAM_UNAVAILABLE', 'SOV_DATAPLANE_STORE_IO'].includes(failure.code);

/**
 * A body that ended before the trailer, every byte before that intact. On the wire this is also
 * what a cut connection can look like: an HTTP client may take a connection closed mid-body for
 * the body's end (undici does when the response said `Connection: close`). So it is resumed
 * like a broken connection, from the whole chunks kept, and refused only when every attempt
 * ends so (a provider serving a truncated container). Bytes that arrived are verified as ever.
 */
const endedEarly = (failure: Failure) => failure.code === 'SOV_DATAPLANE_TRUNCATED';

/**
 * Pulls until the container is whole and verified, resuming after each broken connection or
 * early end, up to `maxAttempts`. An integrity failure or a refusal by the provider ends it at
 * once, as does a container that ended early at every attempt, and the bytes received are
 * deleted; otherwise the pull stays interrupted, its bytes kept for the next try.
 */
export async function pullContainer(deps: ConsumerDeps, pull: ContainerPull): Promise<Result<ContainerSummary>> {
  const max = deps.maxAttempts ?? 5;
  let last: Failure = fail('SOV_DATAPLANE_PULL_INTERRUPTED', `the pull of ${pull.address.containerUrl} never started`);
  let everyEndedEarly = true;
  for (let count = 1; count <= max; count += 1) {
    let result: Result<ContainerSummary>;
    try {
      result = await attempt(deps, pull, count);
    } catch (error) {
      if (!(error instanceof DomainError)) {
        last = fail('SOV_DATAPLANE_PULL_INTERRUPTED', `the connection broke: ${(error as Error).message}`);
        everyEndedEarly = false;
        continue;
      }
      result = error.failure;
    }
    if (result.ok) return result;
    last = result;
    if (endedEarly(result)) continue;
    if (!isTransientFailure(result)) {
      await deps.store.delete(pull.containerId);
      return result;
    }
    everyEndedEarly = false;
  }
  if (everyEndedEarly && endedEarly(last)) {
    await deps.store.delete(pull.containerId);
    return last;
  }
  return fail('SOV_DATAPLANE_PULL_INTERRUPTED', `the pull broke off ${max} times; ${last.detail}`, { cause: last.code });
}
