/**
 * The sealed body of the keystore: a JSON description of every key (ids, kinds, states, public
 * keys, wrapped data keys) followed by a binary region with the secret keys the JSON points
 * into by offset. Secrets thus never become JavaScript strings (which cannot be wiped): they go
 * from guarded memory to guarded memory.
 *
 *   u32 BE metadata length | metadata JSON | secret region
 */
import { z } from 'zod';
import { fail, ok, type Result } from '../../errors/index.js';
import type { KeyInfo } from '../ports.js';
import type { CryptoPrimitives } from '../primitives.js';

export interface StoredKey {
  info: KeyInfo;
  publicKey?: Uint8Array;
  /** Secret (guarded memory): signing, agreement and derivation keys. */
  secret?: Uint8Array;
  /** A data key sealed under the key-encryption key (nonce + ciphertext); absent once destroyed. */
  wrapped?: Uint8Array;
}

export interface KeyRingSnapshot {
  /** Secret: the key-encryption key that wraps every data key. */
  kek: Uint8Array;
  keys: readonly StoredKey[];
}

const slice = z.object({ offset: z.number().int().nonnegative(), length: z.number().int().positive() });
const keyInfo = z.object({
  keyId: z.string().min(1),
  kind: z.enum(['signing', 'agreement', 'data', 'derivation']),
  algorithm: z.string(),
  status: z.enum(['active', 'retired', 'destroyed']),
  createdAt: z.string(),
  retiredAt: z.string().optional(),
  destroyedAt: z.string().optional(),
  publicKeyMultibase: z.string().optional(),
  label: z.string().optional(),
});
const metadataSchema = z.object({
  version: z.literal(1),
  kek: slice,
  keys: z.array(z.object({ info: keyInfo, publicKey: z.base64().optional(), secret: slice.optional(), wrapped: z.base64().optional() })),
});
type Metadata = z.infer<typeof metadataSchema>;

const toBase64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const fromBase64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));

/** Serialises the key ring into guarded memory (the caller zeroes it after sealing). */
export function encodeBody(crypto: CryptoPrimitives, ring: KeyRingSnapshot): Uint8Array {
  const secrets: Uint8Array[] = [ring.kek];
  let offset = ring.kek.length;
  const metadata: Metadata = { version: 1, kek: { offset: 0, length: ring.kek.length }, keys: [] };
  for (const key of ring.keys) {
    const entry: Metadata['keys'][number] = { info: key.info };
    if (key.publicKey) entry.publicKey = toBase64(key.publicKey);
    if (key.wrapped) entry.wrapped = toBase64(key.wrapped);
    if (key.secret) {
      entry.secret = { offset, length: key.secret.length };
      secrets.push(key.secret);
      offset += key.secret.length;
    }
    metadata.keys.push(entry);
  }
  const json = new TextEncoder().encode(JSON.stringify(metadata));
  const body = crypto.secureAlloc(4 + json.length + offset);
  new DataView(body.buffer, body.byteOffset).setUint32(0, json.length);
  body.set(json, 4);
  let at = 4 + json.length;
  for (const secret of secrets) {
    body.set(secret, at);
    at += secret.length;
  }
  return body;
}

function copySecret(crypto: CryptoPrimitives, region: Uint8Array, at: { offset: number; length: number }): Uint8Array | undefined {
  if (at.offset + at.length > region.length) return undefined;
  const secret = crypto.secureAlloc(at.length);
  secret.set(region.subarray(at.offset, at.offset + at.length));
  return secret;
}

function parseMetadata(body: Uint8Array): Metadata | undefined {
  if (body.length < 4) return undefined;
  const length = new DataView(body.buffer, body.byteOffset).getUint32(0);
  try {
    const parsed = metadataSchema.safeParse(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body.subarray(4, 4 + length))));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Reads a body produced by encodeBody; secrets are copied into fresh guarded buffers. */
export function decodeBody(crypto: CryptoPrimitives, body: Uint8Array, path: string): Result<KeyRingSnapshot> {
  const corrupt = fail('SOV_KMS_KEYSTORE_CORRUPT', `keystore ${path} has an unreadable key list`, { path });
  const metadata = parseMetadata(body);
  if (metadata === undefined) return corrupt;
  const region = body.subarray(4 + new DataView(body.buffer, body.byteOffset).getUint32(0));
  const kek = copySecret(crypto, region, metadata.kek);
  if (kek === undefined) return corrupt;
  const keys: StoredKey[] = [];
  for (const entry of metadata.keys) {
    const key: StoredKey = { info: entry.info };
    if (entry.publicKey !== undefined) key.publicKey = fromBase64(entry.publicKey);
    if (entry.wrapped !== undefined) key.wrapped = fromBase64(entry.wrapped);
    if (entry.secret !== undefined) {
      const secret = copySecret(crypto, region, entry.secret);
      if (secret === undefined) return corrupt;
      key.secret = secret;
    }
    keys.push(key);
  }
  return ok({ kek, keys });
}
