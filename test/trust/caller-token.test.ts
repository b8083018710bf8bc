import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SimulatedClock, uuidGenerator } from '../../src/clock/index.js';
import { ok, fail } from '../../src/errors/index.js';
import { createFileKms, decodeMultikey, verifySignature, type Kms } from '../../src/kms/index.js';
import { issueCallerToken, verifyCallerToken, type BoundRequest, type ReplayCache } from '../../src/trust/index.js';

const CALLER = 'did:web:127.0.0.1%3A7301';
const CALLEE = 'did:web:127.0.0.1%3A7101';
const MIN_KDF = { opsLimit: 1, memLimit: 8192 };

function memoryReplayCache(): ReplayCache & { seen: Set<string> } {
  const seen = new Set<string>();
  return {
    seen,
    async remember(issuer, jti) {
      const key = `${issuer} ${jti}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    },
  };
}

async function newKms(clock: SimulatedClock): Promise<Kms> {
  const dir = mkdtempSync(join(tmpdir(), 'sovc-token-'));
  const kms = await createFileKms({ path: join(dir, 'keystore.sealed'), passphrase: 'caller pass', clock, kdf: MIN_KDF });
  if (!kms.ok) throw new Error(kms.detail);
  return kms.value;
}

describe('connector-to-connector caller token', () => {
  const clock = new SimulatedClock(Date.UTC(2026, 10, 29, 12));
  let caller: Kms;
  let stranger: Kms;
  const request: BoundRequest = { method: 'POST', url: 'http://127.0.0.1:7101/dsp/2025-1/negotiations/request', body: '{"a":1}' };

  beforeAll(async () => {
    caller = await newKms(clock);
    stranger = await newKms(clock);
  });

  function deps(replay: ReplayCache = memoryReplayCache()) {
    return {
      selfDid: CALLEE,
      clock,
      replay,
      verify: verifySignature,
      async resolveInvocationKey(kid: string) {
        if (kid !== `${CALLER}#${caller.activeSigningKey().keyId}`) return fail('SOV_TRUST_KEY_NOT_AUTHORISED', `unknown key ${kid}`);
        const decoded = decodeMultikey(caller.activeSigningKey().publicKeyMultibase);
        return decoded.ok ? ok(decoded.value.publicKey) : decoded;
      },
    };
  }

  const issue = (signer: Kms, overrides: Partial<Parameters<typeof issueCallerToken>[0]> = {}) =>
    issueCallerToken({ signer, callerDid: CALLER, audienceDid: CALLEE, request, clock, ids: uuidGenerator, ...overrides });

  it('accepts a fresh token for the request it was issued for and names the caller', async () => {
    const token = await issue(caller);
    const result = await verifyCallerToken(token, request, deps());
    expect(result.ok && result.value.did).toBe(CALLER);
  });

  it('refuses a replayed token, even across a new verifier sharing the persisted cache', async () => {
    const replay = memoryReplayCache();
    const token = await issue(caller);
    expect((await verifyCallerToken(token, request, deps(replay))).ok).toBe(true);
    const again = await verifyCallerToken(token, request, deps(replay));
    expect(!again.ok && again.code).toBe('SOV_TRUST_TOKEN_REPLAYED');
  });

  it('refuses a token for another audience', async () => {
    const token = await issue(caller, { audienceDid: 'did:web:127.0.0.1%3A7201' });
    const result = await verifyCallerToken(token, request, deps());
    expect(!result.ok && result.code).toBe('SOV_TRUST_TOKEN_WRONG_AUDIENCE');
  });

  it('refuses an expired token and one valid longer than five minutes', async () => {
    const token = await issue(caller);
    clock.advance(121_000 + 61_000);
    const expired = await verifyCallerToken(token, request, deps());
    expect(!expired.ok && expired.code).toBe('SOV_TRUST_TOKEN_EXPIRED');
    const longLived = await issue(caller, { lifetimeSeconds: 3600 });
    const claims = JSON.parse(Buffer.from(longLived.split('.')[1]!, 'base64url').toString()) as { exp: number; iat: number };
    expect(claims.exp - claims.iat).toBe(300);
  });

  it('refuses a token signed by a key the caller DID does not list', async () => {
    const forged = await issue(stranger);
    const result = await verifyCallerToken(forged, request, deps());
    expect(result.ok).toBe(false);
    expect(['SOV_TRUST_TOKEN_BAD_SIGNATURE', 'SOV_TRUST_KEY_NOT_AUTHORISED']).toContain(!result.ok && result.code);
  });

  it('refuses a token whose claims were altered after signing', async () => {
    const [head, body, sig] = (await issue(caller)).split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
    claims.exp = (claims.exp as number) + 200;
    const tampered = `${head}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${sig}`;
    const result = await verifyCallerToken(tampered, request, deps());
    expect(!result.ok && result.code).toBe('SOV_TRUST_TOKEN_BAD_SIGNATURE');
  });

  it('refuses a token lifted onto another request or another body', async () => {
    const token = await issue(caller);
    const otherPath = await verifyCallerToken(token, { ...request, url: 'http://127.0.0.1:7101/dsp/2025-1/transfers/request' }, deps());
    expect(!otherPath.ok && otherPath.code).toBe('SOV_TRUST_TOKEN_REQUEST_MISMATCH');
    const otherBody = await verifyCallerToken(await issue(caller), { ...request, body: '{"a":2}' }, deps());
    expect(!otherBody.ok && otherBody.code).toBe('SOV_TRUST_TOKEN_REQUEST_MISMATCH');
  });

  it('refuses garbage with a clear reason instead of throwing', async () => {
    for (const token of ['', 'abc', 'a.b.c', `${Buffer.from('{"alg":"none"}').toString('base64url')}.e30.`]) {
      const result = await verifyCallerToken(token, request, deps());
      expect(!result.ok && result.code).toBe('SOV_TRUST_TOKEN_MALFORMED');
    }
  });
});
