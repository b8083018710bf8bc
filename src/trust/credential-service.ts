/**
 * The holder side of the membership check (DCP 1.0 §5, identity.md §6.4-5): another connector
 * calls `POST {CredentialService}/presentations/query` with its own caller token (aud = us)
 * and a presentation query; we verify the token, then present the held credentials of the
 * requested types in a VP signed for the verifier's challenge and for `domain` = the verifier
 * itself, so the VP is useless to anyone else. The verifier needs no membership of its own to
 * ask: membership is what it is about to check, and asking for it would loop.
 */
import { fail, ok, type Result } from '../errors/index.js';
import type { ConnectorIdentity } from '../identity/index.js';
import type { BoundRequest } from './caller-token.js';
import type { HeldCredentialStore } from './held-credentials.js';
import { DCP_CONTEXT, presentationQuerySchema, scopeTypes } from './presentation-query.js';
import { addressedUrl, type CallerTokenVerifier } from './token-verifier.js';

export interface CredentialServiceOptions {
  identity: Pick<ConnectorIdentity, 'did' | 'present'>;
  held: HeldCredentialStore;
  verifyToken: CallerTokenVerifier;
  /** This connector's public base URL (to rebuild the URL the caller signed). */
  publicBaseUrl: string;
}

/** The request as the HTTP edge hands it over (`identityRoutes`' PresentationQueryRequest). */
export interface ReceivedRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  rawBody: Uint8Array | undefined;
}

export type AnswerPresentationQuery = (body: unknown, callerToken: string | undefined, request: ReceivedRequest) => Promise<Result<Record<string, unknown>>>;

const typesOf = (credential: Record<string, unknown>): unknown[] => [credential['type']].flat();

export function createCredentialService(options: CredentialServiceOptions): AnswerPresentationQuery {
  return async (body, callerToken, request) => {
    if (callerToken === undefined) return fail('SOV_TRUST_TOKEN_MISSING', 'a presentation query needs the verifier\'s caller token (Authorization: Bearer …)');
    const bound: BoundRequest = { method: request.method, url: addressedUrl(options.publicBaseUrl, request.url), ...(request.rawBody === undefined ? {} : { body: request.rawBody }) };
    const caller = await options.verifyToken(callerToken, bound);
    if (!caller.ok) return caller;
    const query = presentationQuerySchema.safeParse(body);
    if (!query.success) {
      const issue = query.error.issues[0];
      return fail('SOV_VALIDATION_FAILED', `presentation query ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
    }
    if (query.data.domain !== caller.value.did) {
      return fail('SOV_VALIDATION_FAILED', `the presentation domain must be the verifier's own DID ${caller.value.did}, not ${query.data.domain}`);
    }
    const wanted = scopeTypes(query.data.scope);
    const credentials = (await options.held.list()).filter((c) => typesOf(c).some((t) => typeof t === 'string' && wanted.includes(t)));
    const presentation = await options.identity.present(credentials, { challenge: query.data.challenge, domain: query.data.domain });
    if (!presentation.ok) return presentation;
    return ok({ '@context': [DCP_CONTEXT], type: 'PresentationResponseMessage', presentation: [presentation.value] });
  };
}
