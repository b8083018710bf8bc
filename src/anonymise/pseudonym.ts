/**
 * Keyed pseudonyms: an identifier is replaced by the base32 (RFC 4648 §6, lower case, no
 * padding) truncation of a keyed hash of it. The key lives in kms and is derived per agreement
 * (`kms.keyedHasher(context)`), so pseudonyms are stable within one agreement and unlinkable
 * across agreements; without the key they cannot be recomputed from a guessed identifier.
 */
export type KeyedHash = (data: Uint8Array) => Uint8Array;

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

export function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * A pseudonymiser for one column. The column's name is hashed in with the value (separated by
 * a unit separator) so equal values in different columns do not share a pseudonym.
 */
export function pseudonymiser(keyedHash: KeyedHash, column: string, bytes: number): (value: string) => string {
  const encoder = new TextEncoder();
  const cache = new Map<string, string>();
  return (value) => {
    if (value === '') return '';
    let pseudonym = cache.get(value);
    if (pseudonym === undefined) {
      const digest = keyedHash(encoder.encode(`${column}\u001f${value}`));
      if (digest.length < bytes) throw new Error(`keyed hash returned ${digest.length} bytes, fewer than the ${bytes} a pseudonym needs`);
      pseudonym = base32(digest.subarray(0, bytes));
      if (cache.size < 100_000) cache.set(value, pseudonym);
    }
    return pseudonym;
  };
}
