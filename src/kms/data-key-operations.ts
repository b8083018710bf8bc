/**
 * Data-key operations of the Kms port: create, import from a sealed box, seal to a recipient,
 * lend to a callback, crypto-shred; plus the keyed hasher under the derivation root.
 */
import { fail, ok, type Result } from '../errors/index.js';
import type { KeyInfo, Kms } from './ports.js';
import type { KeyRingSnapshot, StoredKey } from './keystore/body.js';
import { activeKey, copyInfo, findKey, usableKeys, withKey, withTombstone } from './key-ring.js';
import { DATA_KEY_ALGORITHM, lend, unwrapDataKey, usableDataKey, wrapDataKey } from './data-keys.js';
import type { KmsContext } from './kms-operations.js';

type DataKeyOperations = Pick<
  Kms,
  'createDataKey' | 'importSealedDataKey' | 'withSealedKey' | 'sealDataKeyTo' | 'withDataKey' | 'destroyDataKey' | 'keyedHasher'
>;

const KEYED_HASH_CONTEXT = 'sov-kms/keyed-hasher/v1\u0000';

/** Secret: the content of `sealed` opened with `agreementKeyId` or, if absent, any of our agreement keys. */
function openSealedBox(context: KmsContext, ring: KeyRingSnapshot, sealed: Uint8Array, agreementKeyId?: string): Result<Uint8Array> {
  let candidates = usableKeys(ring, 'agreement');
  if (agreementKeyId !== undefined) {
    const key = findKey(ring, agreementKeyId);
    if (key?.info.kind !== 'agreement') return fail('SOV_KMS_KEY_NOT_FOUND', `no agreement key ${agreementKeyId}`, { keyId: agreementKeyId });
    if (key.info.status === 'destroyed') return fail('SOV_KMS_KEY_DESTROYED', `agreement key ${agreementKeyId} was destroyed`, { keyId: agreementKeyId });
    candidates = [key];
  }
  for (const key of candidates) {
    const content = context.crypto.openSealed(sealed, { publicKey: key.publicKey as Uint8Array, secretKey: key.secret as Uint8Array });
    if (content !== undefined) return ok(content);
  }
  const tried = candidates.map((key) => key.info.keyId).join(', ');
  return fail('SOV_KMS_SEALED_BOX_INVALID', `the sealed box is not addressed to our agreement key(s) ${tried}, or it was altered`);
}

function storeDataKey(context: KmsContext, ring: KeyRingSnapshot, dataKey: Uint8Array, label: string): { ring: KeyRingSnapshot; key: StoredKey } {
  const keyId = context.newDataKeyId();
  const key: StoredKey = {
    info: { keyId, kind: 'data', algorithm: DATA_KEY_ALGORITHM, status: 'active', createdAt: context.now(), label },
    wrapped: wrapDataKey(context.crypto, ring.kek, keyId, dataKey),
  };
  return { ring: withKey(ring, key), key };
}

function importSealed(context: KmsContext, live: () => KeyRingSnapshot): Kms['importSealedDataKey'] {
  return (sealed, opts) =>
    context.serialised(async (): Promise<Result<KeyInfo>> => {
      const opened = openSealedBox(context, live(), sealed, opts.agreementKeyId);
      if (!opened.ok) return opened;
      const content = opened.value;
      try {
        if (content.length !== context.crypto.symmetricKeyBytes) {
          return fail('SOV_KMS_SEALED_BOX_INVALID', `the sealed box holds ${content.length} bytes, not a ${context.crypto.symmetricKeyBytes}-byte data key`);
        }
        const next = storeDataKey(context, live(), content, opts.label);
        await context.commit(next.ring);
        return ok(copyInfo(next.key.info));
      } finally {
        context.crypto.zero(content);
      }
    });
}

function destroyData(context: KmsContext, live: () => KeyRingSnapshot): Kms['destroyDataKey'] {
  return (keyId) =>
    context.serialised(async (): Promise<Result<KeyInfo>> => {
      const usable = usableDataKey(live(), keyId);
      if (!usable.ok) return usable;
      const { ring, tombstone } = withTombstone(live(), keyId, context.now());
      await context.commit(ring);
      return ok(copyInfo(tombstone.info));
    });
}

async function keyedHasher(context: KmsContext, ring: KeyRingSnapshot, purpose: string): Promise<(data: Uint8Array) => Uint8Array> {
  const { crypto } = context;
  const root = activeKey(ring, 'derivation').secret as Uint8Array;
  // BLAKE2b keyed by the root is a PRF: one independent sub-key per context string.
  const derived = crypto.hash(new TextEncoder().encode(KEYED_HASH_CONTEXT + purpose), 32, root);
  const subKey = crypto.secureAlloc(32);
  subKey.set(derived);
  derived.fill(0);
  return (data) => crypto.hash(data, 32, subKey);
}

export function dataKeyOperations(context: KmsContext, live: () => KeyRingSnapshot): DataKeyOperations {
  const { crypto } = context;
  return {
    createDataKey: (label) =>
      context.serialised(async () => {
        const dataKey = crypto.randomSecret(crypto.symmetricKeyBytes);
        const next = storeDataKey(context, live(), dataKey, label);
        crypto.zero(dataKey);
        await context.commit(next.ring);
        return copyInfo(next.key.info);
      }),
    importSealedDataKey: importSealed(context, live),
    async withSealedKey(sealed, use, agreementKeyId) {
      const opened = openSealedBox(context, live(), sealed, agreementKeyId);
      return opened.ok ? ok(await lend(crypto, opened.value, use)) : opened;
    },
    async sealDataKeyTo(keyId, recipientX25519) {
      if (recipientX25519.length !== 32) return fail('SOV_KMS_PUBLIC_KEY_INVALID', `an X25519 public key has 32 bytes, got ${recipientX25519.length}`);
      const usable = usableDataKey(live(), keyId);
      if (!usable.ok) return usable;
      const ring = live();
      return ok(await lend(crypto, unwrapDataKey(crypto, ring.kek, usable.value), async (key) => crypto.sealTo(recipientX25519, key)));
    },
    async withDataKey(keyId, use) {
      const ring = live();
      const usable = usableDataKey(ring, keyId);
      return usable.ok ? ok(await lend(crypto, unwrapDataKey(crypto, ring.kek, usable.value), use)) : usable;
    },
    destroyDataKey: destroyData(context, live),
    keyedHasher: (purpose) => keyedHasher(context, live(), purpose),
  };
}
