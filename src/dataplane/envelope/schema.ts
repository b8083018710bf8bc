/**
 * The key envelope (docs/format.md §7): a small signed JSON object that carries a dataset's
 * data key sealed to one recipient and binds it to one transfer. Validated with zod before
 * any field is trusted.
 */
import canonicalizeModule from 'canonicalize';
import { z } from 'zod';

// The package is CommonJS (`module.exports = serialize`) but its typings declare an ES default
// export, so under NodeNext the default import is typed as the namespace; this restores the type.
const canonicalize = canonicalizeModule as unknown as (input: unknown) => string;

const base64url = (bytes: number) =>
  z.string().regex(/^[A-Za-z0-9_-]+$/).refine((s) => Buffer.from(s, 'base64url').length === bytes && s.length === Math.ceil((bytes * 4) / 3), {
    message: `must be ${bytes} bytes, base64url without padding`,
  });
const didUrl = z.string().min(1).max(1024).regex(/^did:[a-z0-9]+:[^#\s]+#[^#\s]+$/);
const did = z.string().min(1).max(1024).regex(/^did:[a-z0-9]+:[^#\s]+$/);
const id = z.string().min(1).max(1024);

export const keyEnvelopeSchema = z.strictObject({
  type: z.literal('SovKeyEnvelope'),
  version: z.literal(1),
  transferId: id,
  agreementId: id,
  datasetId: id,
  containerDigest: base64url(32),
  recipient: did,
  recipientKeyId: didUrl,
  release: z.enum(['handover', 'one-time']),
  sealedKey: base64url(80),
  issuer: did,
  issuerKeyId: didUrl,
  issuedAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  signature: base64url(64),
});

export type KeyEnvelope = z.infer<typeof keyEnvelopeSchema>;
export type UnsignedKeyEnvelope = Omit<KeyEnvelope, 'signature'>;

const CONTEXT = new TextEncoder().encode('sovc-key-envelope-v1:');

/** What the issuer signs: `"sovc-key-envelope-v1:" || JCS(envelope without "signature")` (RFC 8785). */
export function envelopeSigningInput(envelope: UnsignedKeyEnvelope): Uint8Array {
  const { signature: _ignored, ...unsigned } = envelope as KeyEnvelope;
  const canonical = new TextEncoder().encode(canonicalize(unsigned));
  const out = new Uint8Array(CONTEXT.length + canonical.length);
  out.set(CONTEXT, 0);
  out.set(canonical, CONTEXT.length);
  return out;
}
