/**
 * Multikey public-key encoding (W3C Controlled Identifiers 1.0 §2.2.2 "Multikey"): a multicodec
 * varint prefix (ed25519-pub 0xed → `ed 01`, x25519-pub 0xec → `ec 01`) followed by the raw key,
 * as multibase base58btc (`z…`). So Ed25519 keys read `z6Mk…` and X25519 keys `z6LS…`.
 */
import { fail, ok, type Result } from '../errors/index.js';

export type MultikeyType = 'Ed25519' | 'X25519';

const PREFIXES: Record<MultikeyType, readonly [number, number]> = {
  Ed25519: [0xed, 0x01],
  X25519: [0xec, 0x01],
};
const KEY_BYTES = 32;
const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** base58btc (the Bitcoin alphabet), leading zero bytes encoded as leading '1's. */
export function encodeBase58btc(bytes: Uint8Array): string {
  const digits: number[] = [];
  for (const byte of bytes) {
    let carry = byte;
    for (let i = 0; i < digits.length; i++) {
      carry += (digits[i] as number) << 8;
      digits[i] = carry % 58;
      carry = Math.floor(carry / 58);
    }
    for (; carry > 0; carry = Math.floor(carry / 58)) digits.push(carry % 58);
  }
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
  return '1'.repeat(zeros) + digits.reverse().map((d) => ALPHABET[d]).join('');
}

/** Inverse of encodeBase58btc; undefined if `text` has a character outside the alphabet. */
export function decodeBase58btc(text: string): Uint8Array | undefined {
  const bytes: number[] = [];
  for (const char of text) {
    let carry = ALPHABET.indexOf(char);
    if (carry < 0) return undefined;
    for (let i = 0; i < bytes.length; i++) {
      carry += (bytes[i] as number) * 58;
      bytes[i] = carry & 0xff;
      carry >>= 8;
    }
    for (; carry > 0; carry >>= 8) bytes.push(carry & 0xff);
  }
  let zeros = 0;
  while (zeros < text.length && text[zeros] === '1') zeros++;
  return Uint8Array.from([...new Array<number>(zeros).fill(0), ...bytes.reverse()]);
}

export function encodeMultikey(type: MultikeyType, publicKey: Uint8Array): string {
  if (publicKey.length !== KEY_BYTES) throw new RangeError(`an ${type} public key has ${KEY_BYTES} bytes, got ${publicKey.length}`);
  const prefixed = new Uint8Array(2 + KEY_BYTES);
  prefixed.set(PREFIXES[type]);
  prefixed.set(publicKey, 2);
  return `z${encodeBase58btc(prefixed)}`;
}

/** Parses a `publicKeyMultibase` value; fails with SOV_KMS_PUBLIC_KEY_INVALID naming the problem. */
export function decodeMultikey(multibase: string): Result<{ type: MultikeyType; publicKey: Uint8Array }> {
  if (!multibase.startsWith('z')) return fail('SOV_KMS_PUBLIC_KEY_INVALID', 'a Multikey must be base58btc multibase (start with "z")');
  const bytes = decodeBase58btc(multibase.slice(1));
  if (bytes === undefined) return fail('SOV_KMS_PUBLIC_KEY_INVALID', 'the Multikey has a character outside the base58btc alphabet');
  for (const [type, prefix] of Object.entries(PREFIXES) as Array<[MultikeyType, readonly [number, number]]>) {
    if (bytes[0] !== prefix[0] || bytes[1] !== prefix[1]) continue;
    if (bytes.length !== 2 + KEY_BYTES) {
      return fail('SOV_KMS_PUBLIC_KEY_INVALID', `an ${type} Multikey holds ${KEY_BYTES} key bytes, got ${bytes.length - 2}`);
    }
    return ok({ type, publicKey: bytes.slice(2) });
  }
  return fail('SOV_KMS_PUBLIC_KEY_INVALID', 'the Multikey is neither Ed25519 (0xed01) nor X25519 (0xec01)');
}
