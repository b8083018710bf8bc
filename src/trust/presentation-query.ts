/**
 * The DCP presentation exchange messages (DCP 1.0 §5.4, identity.md §6.4-5) as we use them:
 * the verifier POSTs a `PresentationQueryMessage` naming the credential types it wants in
 * `scope`, plus our extension fields `challenge` (single-use nonce) and `domain` (the verifier's
 * DID) that the holder must sign the presentation for (identity.md §7.3); the holder answers
 * with a `PresentationResponseMessage`. Both are validated before use; `presentationDefinition`
 * queries are not supported and refused.
 */
import { z } from 'zod';

export const DCP_CONTEXT = 'https://w3id.org/dspace-dcp/v1.0/dcp.jsonld';
const TYPE_SCOPE_PREFIX = 'org.eclipse.dspace.dcp.vc.type:';

export const presentationQuerySchema = z.strictObject({
  '@context': z.array(z.string()).refine((c) => c.includes(DCP_CONTEXT), `@context must include ${DCP_CONTEXT}`),
  type: z.literal('PresentationQueryMessage'),
  scope: z.array(z.string().startsWith(TYPE_SCOPE_PREFIX, `a scope must read ${TYPE_SCOPE_PREFIX}<CredentialType>`).max(200)).min(1).max(20),
  challenge: z.string().min(16, 'the challenge must be a nonce of at least 16 characters').max(200),
  domain: z.string().startsWith('did:').max(500),
});

export type PresentationQueryMessage = z.infer<typeof presentationQuerySchema>;

export const presentationResponseSchema = z.looseObject({
  type: z.literal('PresentationResponseMessage'),
  presentation: z.array(z.unknown()).min(1).max(10),
});

export type PresentationResponseMessage = z.infer<typeof presentationResponseSchema>;

/** Credential types named by a query's scope entries. */
export function scopeTypes(scope: readonly string[]): string[] {
  return scope.map((entry) => entry.slice(TYPE_SCOPE_PREFIX.length));
}

export function presentationQuery(options: { types: readonly string[]; challenge: string; domain: string }): PresentationQueryMessage {
  return {
    '@context': [DCP_CONTEXT],
    type: 'PresentationQueryMessage',
    scope: options.types.map((type) => `${TYPE_SCOPE_PREFIX}${type}`),
    challenge: options.challenge,
    domain: options.domain,
  };
}
