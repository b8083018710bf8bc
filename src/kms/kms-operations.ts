/**
 * The Kms port over a key ring (design.md "Key custody"): operations, never exports. Private
 * and data keys stay in guarded memory; a data key is lent to a callback and zeroed after.
 */
import { DomainError, fail, ok, type Result } from '../errors/index.js';
import type { KeyInfo, Kms } from './ports.js';
import type { CryptoPrimitives } from './primitives.js';
import type { KeyRingSnapshot, StoredKey } from './keystore/body.js';
import { activeKey, copyInfo, findKey, publicKeyOf, rotated, usableKeys, withTombstone } from './key-ring.js';
import { dataKeyOperations } from './data-key-operations.js';

/** What the operations need from the keystore that holds them. */
export interface KmsContext {
  crypto: CryptoPrimitives;
  /** The current snapshot; replaced only by `commit`. */
  ring: KeyRingSnapshot;
  now(): string;
  newDataKeyId(): string;
  /** Runs `task` after every change queued before it (one writer at a time). */
  serialised<T>(task: () => Promise<T>): Promise<T>;
  /** Persists `next` atomically, then makes it the current snapshot. */
  commit(next: KeyRingSnapshot): Promise<void>;
  /** Wipes the keystore's own key (on close). */
  forget(): void;
}

export interface KeystoreKms extends Kms {
  /**
   * Destroys a retired signing or agreement key (after its signatures no longer need verifying,
   * or its sealed boxes opening). The active key is refused: rotate first.
   */
  destroyRetiredKey(keyId: string): Promise<Result<KeyInfo>>;
  /** Wipes every secret from memory; the object is unusable afterwards. */
  close(): void;
}

function destroyRetired(context: KmsContext, live: () => KeyRingSnapshot, keyId: string): Promise<Result<KeyInfo>> {
  return context.serialised(async () => {
    const key = findKey(live(), keyId);
    if (key === undefined || (key.info.kind !== 'signing' && key.info.kind !== 'agreement')) {
      return fail('SOV_KMS_KEY_NOT_FOUND', `no signing or agreement key ${keyId}`, { keyId });
    }
    if (key.info.status === 'destroyed') return fail('SOV_KMS_KEY_DESTROYED', `key ${keyId} is already destroyed`, { keyId });
    if (key.info.status === 'active') return fail('SOV_KMS_KEY_IN_USE', `key ${keyId} is active; rotate it before destroying it`, { keyId });
    const { ring, tombstone } = withTombstone(live(), keyId, context.now());
    await context.commit(ring);
    if (key.secret) context.crypto.zero(key.secret);
    return ok(copyInfo(tombstone.info));
  });
}

function signingKeyFor(ring: KeyRingSnapshot, keyId: string | undefined): StoredKey {
  const key = keyId === undefined ? activeKey(ring, 'signing') : findKey(ring, keyId);
  if (key?.info.kind !== 'signing' || key.info.status !== 'active' || key.secret === undefined) {
    throw new DomainError(fail('SOV_KMS_KEY_NOT_FOUND', `${keyId ?? 'the active key'} is not an active signing key`, { keyId }));
  }
  return key;
}

function wipe(context: KmsContext): void {
  for (const key of context.ring.keys) if (key.secret) context.crypto.zero(key.secret);
  context.crypto.zero(context.ring.kek);
  context.forget();
}

export function buildKms(context: KmsContext): KeystoreKms {
  const { crypto } = context;
  let closed = false;
  const live = (): KeyRingSnapshot => {
    if (closed) throw new Error('this kms was closed');
    return context.ring;
  };
  const dataKeys = dataKeyOperations(context, live);
  return {
    listKeys: () => live().keys.map((key) => copyInfo(key.info)),
    activeSigningKey: () => publicKeyOf(activeKey(live(), 'signing')),
    activeAgreementKey: () => publicKeyOf(activeKey(live(), 'agreement')),
    verificationKeys: () => usableKeys(live(), 'signing').map(publicKeyOf),
    agreementKeys: () => usableKeys(live(), 'agreement').map(publicKeyOf),
    async sign(message, keyId) {
      const key = signingKeyFor(live(), keyId);
      return { keyId: key.info.keyId, signature: crypto.sign(message, key.secret as Uint8Array) };
    },
    ...dataKeys,
    rotate: (kind) =>
      context.serialised(async () => {
        const next = rotated(crypto, live(), kind, context.now());
        await context.commit(next.ring);
        for (const secret of next.dropped) crypto.zero(secret);
        return copyInfo(next.created.info);
      }),
    destroyRetiredKey: (keyId) => destroyRetired(context, live, keyId),
    close() {
      if (closed) return;
      closed = true;
      wipe(context);
    },
  };
}
