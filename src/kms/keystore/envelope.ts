/**
 * The keystore file format (version 1):
 *
 *   magic "SOVKMS\r\n" | u32 BE header length | header (JSON, clear) | sealed body | BLAKE2b-256 checksum
 *
 * The header carries the format version, the Argon2id parameters and salt, and a passphrase
 * check value. The body is XChaCha20-Poly1305 under a key derived from the passphrase, with
 * magic + length + header as associated data, so changing the clear header breaks the tag.
 * The checksum (unkeyed, over everything before it) tells accidental damage and truncation
 * apart from a wrong passphrase; the check value (a keyed hash under the second half of the
 * Argon2id output) tells a wrong passphrase apart from a forged body. Limit: someone who edits
 * the header's KDF fields and recomputes the checksum gets "wrong passphrase" rather than
 * "corrupt" (no key exists to authenticate the header before the passphrase is applied);
 * either way nothing opens and the file is left as it is.
 */
import { z } from 'zod';
import { fail, ok, type Result } from '../../errors/index.js';
import type { CryptoPrimitives, KdfParams } from '../primitives.js';

const MAGIC = new TextEncoder().encode('SOVKMS\r\n');
const CHECKSUM_BYTES = 32;
const CHECK_CONTEXT = new TextEncoder().encode('sov-kms/passphrase-check/v1');

const headerSchema = z.object({
  format: z.literal('sov-kms-keystore'),
  version: z.literal(1),
  kdf: z.object({
    algorithm: z.literal('argon2id13'),
    // Bounds keep a hostile header from asking for an absurd Argon2id cost.
    opsLimit: z.number().int().min(1).max(16),
    memLimit: z.number().int().min(8192).max(2 ** 31),
    salt: z.base64(),
  }),
  cipher: z.literal('xchacha20poly1305-ietf'),
  passphraseCheck: z.base64(),
});
export type KeystoreHeader = z.infer<typeof headerSchema>;

export interface UnlockedKeystore {
  header: KeystoreHeader;
  /** Secret: the key the body is sealed with. */
  fileKey: Uint8Array;
}

const toBase64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const fromBase64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));

async function deriveKeys(
  crypto: CryptoPrimitives,
  passphrase: string,
  salt: Uint8Array,
  params: KdfParams,
): Promise<{ fileKey: Uint8Array; check: Uint8Array }> {
  const secret = Buffer.from(passphrase, 'utf8');
  const derived = await crypto.deriveFromPassphrase(secret, salt, params, 64);
  crypto.zero(secret);
  const fileKey = crypto.secureAlloc(32);
  fileKey.set(derived.subarray(0, 32));
  const check = crypto.hash(CHECK_CONTEXT, 32, derived.subarray(32));
  crypto.zero(derived);
  return { fileKey, check };
}

/** A fresh header (new random salt) and its file key, for a keystore being created. */
export async function newKeystore(crypto: CryptoPrimitives, passphrase: string, params: KdfParams): Promise<UnlockedKeystore> {
  const salt = crypto.randomBytes(crypto.saltBytes);
  const { fileKey, check } = await deriveKeys(crypto, passphrase, salt, params);
  const header: KeystoreHeader = {
    format: 'sov-kms-keystore',
    version: 1,
    kdf: { algorithm: 'argon2id13', opsLimit: params.opsLimit, memLimit: params.memLimit, salt: toBase64(salt) },
    cipher: 'xchacha20poly1305-ietf',
    passphraseCheck: toBase64(check),
  };
  return { header, fileKey };
}

function framedHeader(header: KeystoreHeader): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const framed = new Uint8Array(MAGIC.length + 4 + json.length);
  framed.set(MAGIC);
  new DataView(framed.buffer).setUint32(MAGIC.length, json.length);
  framed.set(json, MAGIC.length + 4);
  return framed;
}

/** The complete file for `body` (plaintext, typically in guarded memory). */
export function encodeKeystoreFile(crypto: CryptoPrimitives, keystore: UnlockedKeystore, body: Uint8Array): Uint8Array {
  const head = framedHeader(keystore.header);
  const sealed = crypto.seal(body, head, keystore.fileKey);
  const file = new Uint8Array(head.length + sealed.length + CHECKSUM_BYTES);
  file.set(head);
  file.set(sealed, head.length);
  file.set(crypto.hash(file.subarray(0, head.length + sealed.length), CHECKSUM_BYTES), head.length + sealed.length);
  return file;
}

interface ParsedFile {
  header: KeystoreHeader;
  head: Uint8Array;
  sealed: Uint8Array;
}

function parseKeystoreFile(crypto: CryptoPrimitives, file: Uint8Array, path: string): Result<ParsedFile> {
  const corrupt = (why: string) => fail('SOV_KMS_KEYSTORE_CORRUPT', `keystore ${path} is damaged or was tampered with: ${why}`, { path });
  if (file.length < MAGIC.length + 4 + CHECKSUM_BYTES || !MAGIC.every((byte, i) => file[i] === byte)) {
    return corrupt('it is not a sov-kms keystore (bad magic or too short)');
  }
  const content = file.subarray(0, file.length - CHECKSUM_BYTES);
  if (!crypto.equalConstantTime(crypto.hash(content, CHECKSUM_BYTES), file.subarray(content.length))) {
    return corrupt('checksum mismatch (truncated or altered bytes)');
  }
  const headerEnd = MAGIC.length + 4 + new DataView(file.buffer, file.byteOffset).getUint32(MAGIC.length);
  if (headerEnd > content.length) return corrupt('header length beyond end of file');
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(content.subarray(MAGIC.length + 4, headerEnd)));
  } catch {
    return corrupt('header is not JSON');
  }
  const header = headerSchema.safeParse(json);
  if (!header.success) return corrupt(`unsupported header: ${header.error.issues.map((i) => i.path.join('.') || i.message).join(', ')}`);
  if (fromBase64(header.data.kdf.salt).length !== crypto.saltBytes) return corrupt('salt has the wrong length');
  return ok({ header: header.data, head: content.subarray(0, headerEnd), sealed: content.subarray(headerEnd) });
}

/** Checks, unlocks and opens a keystore file; the body comes back in guarded memory. */
export async function openKeystoreFile(
  crypto: CryptoPrimitives,
  file: Uint8Array,
  passphrase: string,
  path: string,
): Promise<Result<UnlockedKeystore & { body: Uint8Array }>> {
  const parsed = parseKeystoreFile(crypto, file, path);
  if (!parsed.ok) return parsed;
  const { header, head, sealed } = parsed.value;
  const { fileKey, check } = await deriveKeys(crypto, passphrase, fromBase64(header.kdf.salt), header.kdf);
  if (!crypto.equalConstantTime(check, fromBase64(header.passphraseCheck))) {
    crypto.zero(fileKey);
    return fail('SOV_KMS_WRONG_PASSPHRASE', `the passphrase does not unlock keystore ${path}`, { path });
  }
  const body = crypto.open(sealed, head, fileKey);
  if (body === undefined) {
    crypto.zero(fileKey);
    return fail('SOV_KMS_KEYSTORE_CORRUPT', `keystore ${path} was tampered with: its sealed body does not authenticate`, { path });
  }
  return ok({ header, fileKey, body });
}
