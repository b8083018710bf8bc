/**
 * The key ring as immutable snapshots: every change builds a new snapshot that is persisted
 * before it replaces the current one, so a failed write leaves memory and disk in step.
 * Ids: `sig-N` (Ed25519), `enc-N` (X25519), `root-1` (derivation root), `dek-<uuid>`.
 */
import type { KeyInfo, KeyKind, PublicKey } from './ports.js';
import type { CryptoPrimitives, KeyPair } from './primitives.js';
import type { KeyRingSnapshot, StoredKey } from './keystore/body.js';
import { encodeMultikey } from './multikey.js';

const ASYMMETRIC = {
  signing: { prefix: 'sig', algorithm: 'Ed25519', generate: (c: CryptoPrimitives) => c.generateSigningKeyPair() },
  agreement: { prefix: 'enc', algorithm: 'X25519', generate: (c: CryptoPrimitives) => c.generateAgreementKeyPair() },
} as const;

export type AsymmetricKind = keyof typeof ASYMMETRIC;

function asymmetricKey(kind: AsymmetricKind, keyId: string, pair: KeyPair, createdAt: string): StoredKey {
  const { algorithm } = ASYMMETRIC[kind];
  const publicKeyMultibase = encodeMultikey(algorithm, pair.publicKey);
  return {
    info: { keyId, kind, algorithm, status: 'active', createdAt, publicKeyMultibase },
    publicKey: pair.publicKey,
    secret: pair.secretKey,
  };
}

/** A new key ring: sig-1, enc-1, a derivation root and a key-encryption key. */
export function generateKeyRing(crypto: CryptoPrimitives, now: string): KeyRingSnapshot {
  const root: StoredKey = {
    info: { keyId: 'root-1', kind: 'derivation', algorithm: 'BLAKE2b', status: 'active', createdAt: now },
    secret: crypto.randomSecret(32),
  };
  return {
    kek: crypto.randomSecret(crypto.symmetricKeyBytes),
    keys: [
      asymmetricKey('signing', 'sig-1', crypto.generateSigningKeyPair(), now),
      asymmetricKey('agreement', 'enc-1', crypto.generateAgreementKeyPair(), now),
      root,
    ],
  };
}

export function findKey(ring: KeyRingSnapshot, keyId: string): StoredKey | undefined {
  return ring.keys.find((key) => key.info.keyId === keyId);
}

export function activeKey(ring: KeyRingSnapshot, kind: KeyKind): StoredKey {
  const key = ring.keys.find((k) => k.info.kind === kind && k.info.status === 'active');
  if (key === undefined) throw new Error(`keystore invariant broken: no active ${kind} key`);
  return key;
}

/** Keys of `kind` still usable to verify or open: the active one first, then retired ones, newest first. */
export function usableKeys(ring: KeyRingSnapshot, kind: AsymmetricKind): StoredKey[] {
  const usable = ring.keys.filter((k) => k.info.kind === kind && k.info.status !== 'destroyed');
  const active = usable.filter((k) => k.info.status === 'active');
  return [...active, ...usable.filter((k) => k.info.status !== 'active').reverse()];
}

export function publicKeyOf(key: StoredKey): PublicKey {
  if (key.publicKey === undefined || key.info.publicKeyMultibase === undefined) {
    throw new Error(`key ${key.info.keyId} has no public half`);
  }
  return { keyId: key.info.keyId, publicKey: key.publicKey.slice(), publicKeyMultibase: key.info.publicKeyMultibase };
}

function nextId(ring: KeyRingSnapshot, prefix: string): string {
  const numbers = ring.keys.map((k) => /^(\w+)-(\d+)$/.exec(k.info.keyId)).filter((m) => m?.[1] === prefix).map((m) => Number(m?.[2]));
  return `${prefix}-${Math.max(0, ...numbers) + 1}`;
}

/**
 * A new active key of `kind`; the previously active one becomes retired. A retired agreement
 * key keeps its secret (sealed boxes addressed to it must still open); a retired signing key
 * only verifies, so its secret is dropped and returned for the caller to wipe once persisted.
 */
export function rotated(
  crypto: CryptoPrimitives,
  ring: KeyRingSnapshot,
  kind: AsymmetricKind,
  now: string,
): { ring: KeyRingSnapshot; created: StoredKey; dropped: Uint8Array[] } {
  const created = asymmetricKey(kind, nextId(ring, ASYMMETRIC[kind].prefix), ASYMMETRIC[kind].generate(crypto), now);
  const dropped: Uint8Array[] = [];
  const keys = ring.keys.map((key): StoredKey => {
    if (key.info.kind !== kind || key.info.status !== 'active') return key;
    const retired: StoredKey = { ...key, info: { ...key.info, status: 'retired', retiredAt: now } };
    if (kind === 'signing' && key.secret) {
      dropped.push(key.secret);
      delete retired.secret;
    }
    return retired;
  });
  return { ring: { kek: ring.kek, keys: [...keys, created] }, created, dropped };
}

/** The same ring with `keyId` reduced to a tombstone: its secret or wrapped key is gone. */
export function withTombstone(ring: KeyRingSnapshot, keyId: string, now: string): { ring: KeyRingSnapshot; tombstone: StoredKey } {
  const target = findKey(ring, keyId);
  if (target === undefined) throw new Error(`no key ${keyId}`);
  const tombstone: StoredKey = { info: { ...target.info, status: 'destroyed', destroyedAt: now } };
  if (target.publicKey) tombstone.publicKey = target.publicKey;
  return { ring: { kek: ring.kek, keys: ring.keys.map((key) => (key === target ? tombstone : key)) }, tombstone };
}

export function withKey(ring: KeyRingSnapshot, key: StoredKey): KeyRingSnapshot {
  return { kek: ring.kek, keys: [...ring.keys, key] };
}

export function copyInfo(info: KeyInfo): KeyInfo {
  return { ...info };
}
