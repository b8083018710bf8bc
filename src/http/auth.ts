/**
 * Bearer-token authentication for the management API (RFC 6750). Two roles: `admin` may do
 * everything, `researcher` may use the routes that ask only for a researcher. Tokens are
 * compared as SHA-256 digests with `timingSafeEqual`, against every configured token without
 * an early exit, so neither the token nor which role it matched leaks through timing.
 * An injected hook hears of each login (first success per token per window) so audit can record it.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Clock } from '../clock/index.js';
import { fail } from '../errors/index.js';
import { problem } from './problem.js';

export type Role = 'admin' | 'researcher';

export interface Principal {
  role: Role;
  /** A short fingerprint of the token (not the token), for audit entries and logs. */
  tokenId: string;
}

export interface LoginEvent extends Principal {
  /** Milliseconds since the epoch, from the injected clock. */
  at: number;
  remoteAddress?: string;
  userAgent?: string;
}

export interface BearerAuthOptions {
  tokens: ReadonlyArray<{ role: Role; token: string }>;
  clock: Clock;
  /** Called on the first successful authentication of a token in each `loginWindowMs`; an error it throws fails the request. */
  onLogin?: (event: LoginEvent) => void | Promise<void>;
  /** Default 15 minutes. */
  loginWindowMs?: number;
}

const REALM = 'Bearer realm="sovc"';
const PRINCIPAL_KEY = 'sovcPrincipal';
const roleRank: Record<Role, number> = { researcher: 1, admin: 2 };

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** The authenticated caller of this request, set by the bearer-auth middleware. */
export function principalOf(res: Response): Principal | undefined {
  return res.locals[PRINCIPAL_KEY] as Principal | undefined;
}

function refuse(res: Response, challenge: string, detail: string): void {
  res.set('WWW-Authenticate', challenge);
  problem(res, fail('SOV_UNAUTHORIZED', detail));
}

function matchToken(presented: string, known: ReadonlyArray<{ principal: Principal; digest: Buffer }>): Principal | undefined {
  const candidate = digest(presented);
  let found: Principal | undefined;
  for (const entry of known) {
    // Equal-length digests, every entry compared: no early exit on a match.
    if (timingSafeEqual(candidate, entry.digest)) found = entry.principal;
  }
  return found;
}

export function createBearerAuth(options: BearerAuthOptions): RequestHandler {
  if (options.tokens.length === 0) throw new Error('createBearerAuth needs at least one token');
  const known = options.tokens.map(({ role, token }) => {
    if (token.length < 16) throw new Error(`a ${role} token must have at least 16 characters`);
    return { principal: { role, tokenId: digest(token).toString('hex').slice(0, 12) }, digest: digest(token) };
  });
  const windowMs = options.loginWindowMs ?? 15 * 60_000;
  const lastLogin = new Map<string, number>();

  return async (req, res, next) => {
    const header = req.headers.authorization;
    if (header === undefined || header.trim() === '') return refuse(res, REALM, 'a bearer token is required (Authorization: Bearer <token>)');
    const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
    if (match?.[1] === undefined) {
      return refuse(res, `${REALM}, error="invalid_request"`, 'the Authorization header must use the Bearer scheme');
    }
    const principal = matchToken(match[1], known);
    if (principal === undefined) return refuse(res, `${REALM}, error="invalid_token"`, 'the bearer token is not valid');
    res.locals[PRINCIPAL_KEY] = principal;
    const now = options.clock.now();
    const previous = lastLogin.get(principal.tokenId);
    if (options.onLogin !== undefined && (previous === undefined || now - previous >= windowMs)) {
      await options.onLogin({ ...principal, at: now, remoteAddress: req.socket.remoteAddress, userAgent: req.headers['user-agent'] });
      lastLogin.set(principal.tokenId, now); // only once recorded: a failed hook is retried on the next request
    }
    next();
  };
}

/** Route guard: the authenticated caller must hold `role` (admin satisfies researcher), else 403. */
export function requireRole(role: Role): RequestHandler {
  return (_req, res, next) => {
    const principal = principalOf(res);
    if (principal === undefined) return refuse(res, REALM, 'a bearer token is required (Authorization: Bearer <token>)');
    if (roleRank[principal.role] < roleRank[role]) {
      return problem(res, fail('SOV_FORBIDDEN', `this action needs the ${role} role; the token has the ${principal.role} role`));
    }
    next();
  };
}
