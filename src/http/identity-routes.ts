/**
 * The public identity face of a connector: its DID document (did:web §3.2 resolves
 * `did:web:<host>%3A<port>` to `/.well-known/did.json`), its self-description VP, the DCP
 * credential endpoint other connectors query for our membership presentation, and `/health`.
 * The logic lives elsewhere and comes in as plain functions.
 */
import express, { type Router } from 'express';
import type { Clock } from '../clock/index.js';
import type { Result } from '../errors/index.js';
import { renderFailure } from './failure-shape.js';
import { jsonBody, rawBodyOf } from './json-body.js';

type Awaitable<T> = T | Promise<T>;
export type JsonObject = Record<string, unknown>;

export const identityPaths = {
  didDocument: '/.well-known/did.json',
  selfDescription: '/.well-known/participant',
  /** DCP credential service: `POST {CredentialService}/presentations/query` (identity.md). */
  presentationQuery: '/cs/presentations/query',
  health: '/health',
} as const;

/** What the credential endpoint hands the trust layer: enough to verify a request-bound caller token. */
export interface PresentationQueryRequest {
  method: string;
  /** Path and query as received, e.g. `/cs/presentations/query`. */
  url: string;
  rawBody: Uint8Array | undefined;
}

export interface IdentityRoutesOptions {
  getDidDocument: () => Awaitable<JsonObject>;
  getSelfDescription: () => Awaitable<Result<JsonObject>>;
  /** DCP presentation query; `callerToken` is the bearer token, undefined when absent (the function decides: usually 401). */
  answerPresentationQuery: (body: unknown, callerToken: string | undefined, request: PresentationQueryRequest) => Awaitable<Result<JsonObject>>;
  health: { did: string; version: string; clock: Clock; startedAt: number };
  /** Body limit of the credential endpoint, normally `limits.dspBodyBytes`. */
  maxBodyBytes: number;
}

function bearerToken(header: string | undefined): string | undefined {
  return /^Bearer +(\S+) *$/i.exec(header ?? '')?.[1];
}

export function identityRoutes(options: IdentityRoutesOptions): Router {
  const router = express.Router();
  router.get(identityPaths.didDocument, async (_req, res) => {
    res.json(await options.getDidDocument());
  });
  router.get(identityPaths.selfDescription, async (_req, res) => {
    const result = await options.getSelfDescription();
    if (!result.ok) return renderFailure(res, result);
    res.json(result.value);
  });
  router.post(identityPaths.presentationQuery, jsonBody(options.maxBodyBytes), async (req, res) => {
    const request = { method: req.method, url: req.originalUrl, rawBody: rawBodyOf(req) };
    const result = await options.answerPresentationQuery(req.body, bearerToken(req.headers.authorization), request);
    if (!result.ok) return renderFailure(res, result);
    res.set('Cache-Control', 'no-store').json(result.value);
  });
  router.get(identityPaths.health, (_req, res) => {
    const { did, version, clock, startedAt } = options.health;
    res.json({ status: 'ok', did, version, uptime: Math.floor((clock.now() - startedAt) / 1000) });
  });
  return router;
}
