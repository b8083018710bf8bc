/**
 * The transfer token (issue 7 "Transfers"): what the provider puts in the pull DataAddress
 * (`authorization`). It is a compact signed JSON object, signed the way key envelopes are
 * (docs/format.md §5: an Ed25519 signature through kms over a domain-separated JCS form), so
 * no second signing scheme exists: `base64url(JCS(claims)) "." base64url(signature)` where the
 * signature covers `"sovc-transfer-token-v1:" || base64url(JCS(claims))`. It is bound to one
 * transfer, one holder (the consumer DID) and an expiry; the provider keeps the id (`jti`) of
 * the one token valid per transfer, so a superseded token, or any token once the transfer is
 * over, is refused as replayed. Only its issuer ever verifies it.
 *
 * A push sink's credential is the same token issued the other way round (`typ`
 * `SovSinkToken`): the consumer issues it for its inbound sink (`tid` = the sink id) to the
 * provider (`sub`), and checks it when the provider pushes. The two types never stand in for
 * each other.
 */
import canonicalizeModule from 'canonicalize';
import { z } from 'zod';
import type { Clock, IdGenerator } from '../../clock/index.js';
import { fail, ok, type Result } from '../../errors/index.js';
import type { Kms, PublicKey } from '../../kms/index.js';
import type { BulkCrypto } from '../ports.js';

const canonicalize = canonicalizeModule as unknown as (input: unknown) => string;
const CONTEXT = 'sovc-transfer-token-v1:';

const TYPES = { pull: 'SovTransferToken', sink: 'SovSinkToken' } as const;

/** `pull`: the provider's token for its container (default); `sink`: the consumer's for its push sink. */
export type TokenKind = keyof typeof TYPES;

export const transferTokenClaimsSchema = z.strictObject({
  typ: z.enum([TYPES.pull, TYPES.sink]),
  iss: z.string().min(1).max(1024),
  /** The only connector that may present it (checked against its caller token): the consumer (pull), the provider (sink). */
  sub: z.string().min(1).max(1024),
  /** The provider's transfer process id (pull), the consumer's sink id (sink). */
  tid: z.string().min(1).max(1024),
  agr: z.string().min(1).max(1024),
  jti: z.string().min(1).max(256),
  /** The provider's signing key id (kms), so a rotation does not break a running transfer. */
  kid: z.string().min(1).max(256),
  iat: z.number().int(),
  exp: z.number().int(),
});

export type TransferTokenClaims = z.infer<typeof transferTokenClaimsSchema>;

export interface IssueTokenOptions {
  kms: Pick<Kms, 'sign' | 'activeSigningKey'>;
  clock: Clock;
  ids: IdGenerator;
  issuerDid: string;
  consumerDid: string;
  transferId: string;
  agreementId: string;
  ttlMs: number;
  kind?: TokenKind;
}

export async function issueTransferToken(opts: IssueTokenOptions): Promise<{ token: string; claims: TransferTokenClaims }> {
  const iat = Math.floor(opts.clock.now() / 1000);
  const kid = opts.kms.activeSigningKey().keyId;
  const claims: TransferTokenClaims = {
    typ: TYPES[opts.kind ?? 'pull'],
    iss: opts.issuerDid,
    sub: opts.consumerDid,
    tid: opts.transferId,
    agr: opts.agreementId,
    jti: opts.ids.urn(),
    kid,
    iat,
    exp: iat + Math.ceil(opts.ttlMs / 1000),
  };
  const body = Buffer.from(canonicalize(claims)).toString('base64url');
  const { signature } = await opts.kms.sign(new TextEncoder().encode(CONTEXT + body), kid);
  return { token: `${body}.${Buffer.from(signature).toString('base64url')}`, claims };
}

export interface TokenCheck {
  crypto: Pick<BulkCrypto, 'verifyDetached'>;
  /** Our signing keys still valid for verification (kms.verificationKeys()). */
  keys: readonly PublicKey[];
  clock: Clock;
  issuerDid: string;
  /** The transfer the request addresses and the authenticated caller presenting the token. */
  transferId: string;
  callerDid: string;
  kind?: TokenKind;
}

/** Signature, issuer, transfer, holder and expiry. Whether the jti is current is the caller's check. */
export function verifyTransferToken(token: string, check: TokenCheck): Result<TransferTokenClaims> {
  const claims = parseSigned(token, check);
  if (!claims.ok) return claims;
  const c = claims.value;
  if (c.typ !== TYPES[check.kind ?? 'pull']) return fail('SOV_DATAPLANE_TOKEN_INVALID', `a ${c.typ} is not accepted here`);
  if (c.iss !== check.issuerDid) return fail('SOV_DATAPLANE_TOKEN_INVALID', `the transfer token was issued by ${c.iss}, not by this connector`);
  if (c.tid !== check.transferId) return fail('SOV_DATAPLANE_TOKEN_FOREIGN', `the transfer token is for transfer ${c.tid}, not ${check.transferId}`);
  if (c.sub !== check.callerDid) return fail('SOV_DATAPLANE_TOKEN_FOREIGN', `the transfer token was issued to ${c.sub}, not to the caller ${check.callerDid}`);
  if (check.clock.now() >= c.exp * 1000) return fail('SOV_DATAPLANE_TOKEN_EXPIRED', `the transfer token expired at ${new Date(c.exp * 1000).toISOString()}`);
  return ok(c);
}

function parseSigned(token: string, check: TokenCheck): Result<TransferTokenClaims> {
  const [body, signature, ...rest] = token.split('.');
  if (body === undefined || signature === undefined || rest.length > 0 || !/^[A-Za-z0-9_-]+$/.test(body + signature)) {
    return fail('SOV_DATAPLANE_TOKEN_INVALID', 'the transfer token is not "claims.signature" in base64url');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return fail('SOV_DATAPLANE_TOKEN_INVALID', 'the transfer token claims are not JSON');
  }
  const parsed = transferTokenClaimsSchema.safeParse(raw);
  if (!parsed.success) return fail('SOV_DATAPLANE_TOKEN_INVALID', 'the transfer token claims do not match their schema');
  const key = check.keys.find((k) => k.keyId === parsed.data.kid);
  const message = new TextEncoder().encode(CONTEXT + body);
  if (key === undefined || !check.crypto.verifyDetached(Buffer.from(signature, 'base64url'), message, key.publicKey)) {
    return fail('SOV_DATAPLANE_TOKEN_INVALID', 'the transfer token signature does not verify under any of our signing keys');
  }
  return ok(parsed.data);
}
