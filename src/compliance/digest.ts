/**
 * Digests the evidence refers to: `<algorithm>:<lowercase hex>`, as the policy report
 * (`sha-256:`), the audit log and the container format write them. Our own digests of JSON
 * (receipts, packs) are SHA-256 over the RFC 8785 (JCS) canonical form, so anyone holding the
 * JSON can recompute them.
 */
import { createHash } from 'node:crypto';
import canonicalizeModule from 'canonicalize';
import { z } from 'zod';

const canonicalize = canonicalizeModule as unknown as (input: unknown) => string;

export const digestSchema = z.string().regex(/^[a-z0-9-]{3,24}:[0-9a-f]{40,128}$/, 'a digest is <algorithm>:<lowercase hex>');

/** RFC 8785 canonical JSON of a JSON value. */
export function canonicalJsonText(value: unknown): string {
  return canonicalize(value);
}

/** `sha-256:<hex>` of the JCS form of `value`. */
export function jsonDigest(value: unknown): string {
  return `sha-256:${createHash('sha256').update(canonicalize(value)).digest('hex')}`;
}
