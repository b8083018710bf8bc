/**
 * A pulled body that ends cleanly before the trailer (src/dataplane/transfer/consumer-container.ts):
 * over HTTP this is what a cut connection looks like to a client that took the close for the
 * end (undici, when the answer said `Connection: close`, as a provider that is shutting down
 * answers). The pull resumes from the whole chunks it kept; a provider whose container really
 * ends early is refused with SOV_DATAPLANE_TRUNCATED once every attempt ended so, and nothing
 * is kept.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ok, unwrap } from '../../../src/errors/index.js';
import { createDirectoryStore, readFromChunk } from '../../../src/dataplane/index.js';
import { chunkOffset } from '../../../src/dataplane/format/layout.js';
import { readStoredHeader } from '../../../src/dataplane/container/resume.js';
import { pullContainer } from '../../../src/dataplane/transfer/consumer-container.js';
import type { ConsumerDeps } from '../../../src/dataplane/transfer/consumer-deps.js';
import { collect, storedContainer, type StoredContainer } from '../support.js';

const CONTAINER = 'urn:uuid:container-1';
const URL_BASE = 'http://provider.example/dataplane/transfers/t1/container';

let stored: StoredContainer;

beforeAll(async () => {
  stored = await storedContainer(CONTAINER, 8);
});

/** What the provider sends: bytes that end cleanly, or with `broken` a connection that breaks after them. */
type Answer = (body: Buffer, fromChunk: number | undefined) => Promise<Buffer | { broken: Buffer }>;

/** Pulls with the provider's answers altered by `answers`, in order; later answers are whole. */
async function pullAnswered(consumerDir: string, answers: Answer[], maxAttempts = 5) {
  const requested: Array<number | undefined> = [];
  const { crypto, uk, ca, provider } = stored;
  const store = await createDirectoryStore({ dir: join(ca.dir, consumerDir) });
  const deps = {
    crypto,
    store,
    maxAttempts,
    peers: { signingKey: async () => ok(uk.kms.activeSigningKey().publicKey) },
    remote: {
      async getStream(url: string) {
        const from = new URL(url).searchParams.get('fromChunk');
        const fromChunk = from === null ? undefined : Number(from);
        requested.push(fromChunk);
        const whole = await collect(unwrap(await readFromChunk(provider, CONTAINER, fromChunk)));
        const answer = await (answers.shift() ?? (async (bytes: Buffer) => bytes))(whole, fromChunk);
        return ok(
          (async function* (): AsyncGenerator<Uint8Array> {
            if (Buffer.isBuffer(answer)) {
              yield answer;
              return;
            }
            yield answer.broken;
            throw new Error('connection reset');
          })(),
        );
      },
    },
  } as unknown as ConsumerDeps;
  const address = { containerUrl: URL_BASE, token: 'token', keyRelease: 'handover', receiptUrl: `${URL_BASE}/receipt`, containerDigest: 'unused' } as const;
  const result = await pullContainer(deps, { transferId: 't1', containerId: 't1', providerDid: uk.did, address });
  return { result, requested, store };
}

/** An answer that ends `extra` bytes after the start of chunk `to` (a clean end, no error). */
function endingAt(to: number, extra = 0): Answer {
  return async (body, from) => {
    const header = unwrap(await readStoredHeader(stored.provider, CONTAINER));
    return body.subarray(0, chunkOffset(header, to) - (from === undefined ? 0 : chunkOffset(header, from)) + extra);
  };
}

describe('a pulled container that ends early', () => {
  it('resumes from the kept chunks when the body ends cleanly at a chunk boundary, then inside a chunk', async () => {
    const { result, requested, store } = await pullAnswered('boundary', [endingAt(2), endingAt(4, 300)]);
    expect(unwrap(result).chunks).toBe(stored.sealed.summary.chunks);
    // Whole container, then the rest from chunk 2, then from chunk 4 (the partial chunk is fetched again).
    expect(requested).toEqual([undefined, 2, 4]);
    expect((await collect(unwrap(await store.get('t1')))).equals(stored.sealed.bytes)).toBe(true);
  });

  it('stays interrupted, keeping the chunks it holds, when only some attempts end early and the others break', async () => {
    const breaking = (to: number): Answer => async (body, from) => ({ broken: (await endingAt(to)(body, from)) as Buffer });
    const { result, requested, store } = await pullAnswered('mixed', [breaking(1), breaking(2), breaking(3), breaking(4), endingAt(5)]);
    expect(result.ok ? 'accepted' : result.code).toBe('SOV_DATAPLANE_PULL_INTERRUPTED');
    expect(requested).toEqual([undefined, 1, 2, 3, 4]);
    expect(await store.pendingSize('t1')).toBeGreaterThan(0);
  });

  it('is refused as truncated, keeping nothing, when every attempt ends before the trailer', async () => {
    const { result, requested, store } = await pullAnswered('always', [endingAt(3), endingAt(3), endingAt(3)], 3);
    expect(result.ok ? 'accepted' : result.code).toBe('SOV_DATAPLANE_TRUNCATED');
    expect(requested).toEqual([undefined, 3, 3]);
    expect(await store.has('t1')).toBe(false);
    expect(await store.pendingSize('t1')).toBeUndefined();
  });

  it('does not launder bytes altered before the early end: the resumed container fails its digest and nothing is kept', async () => {
    const flipped: Answer = async (body) => {
      const altered = Buffer.from(body);
      altered[1500] = (altered[1500] as number) ^ 0x01;
      return endingAt(3)(altered, undefined);
    };
    const { result, requested, store } = await pullAnswered('altered', [flipped]);
    expect(result.ok ? 'accepted' : result.code).toBe('SOV_DATAPLANE_DIGEST_MISMATCH');
    // The digest covers the whole container: the kept (altered) chunks are caught at the trailer.
    expect(requested).toEqual([undefined, 3]);
    expect(await store.has('t1')).toBe(false);
    expect(await store.pendingSize('t1')).toBeUndefined();
  });
});
