/**
 * The express application skeleton every connector face plugs into. It owns what must be true
 * of every response (JSON errors only, no `X-Powered-By`, `nosniff`, a request log line) and the
 * order of things: routers are mounted ahead of the 404 and error fallbacks, whenever they are
 * added. Faces: public routers at `/` (identity, health), DSP routers under a base path with DSP
 * error bodies, the management API under `/api` behind bearer auth.
 */
import express, { type Express, type RequestHandler, type Router } from 'express';
import { dspErrors } from './failure-shape.js';
import type { DspErrorType } from './dsp-error.js';
import { finalErrorHandler, notFound } from './fallbacks.js';
import { jsonBody } from './json-body.js';
import { requestLogger, type Logger } from './logging.js';

export interface HttpLimits {
  /** Largest JSON body on /api, in bytes. */
  managementBodyBytes: number;
  /** Largest JSON body on DSP and other connector-to-connector routes, in bytes. */
  dspBodyBytes: number;
}

export interface HttpApp {
  /** The express application: a Node request listener for `listen`. */
  readonly express: Express;
  readonly limits: HttpLimits;
  readonly logger: Logger;
  /** Mounts handlers at `path`, ahead of the fallbacks. They parse their own bodies (see `jsonBody`). */
  mount(path: string, ...handlers: Array<RequestHandler | Router>): void;
}

export interface HttpAppOptions {
  logger: Logger;
  limits: HttpLimits;
  /** Routers mounted at `/` in order, e.g. `identityRoutes(…)`. A router parses bodies per route, never for all of `/`. */
  routes?: ReadonlyArray<Router>;
}

const noSniff: RequestHandler = (_req, res, next) => {
  res.set('X-Content-Type-Options', 'nosniff');
  next();
};

export function createHttpApp(options: HttpAppOptions): HttpApp {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestLogger(options.logger), noSniff);
  const mounts = express.Router();
  app.use(mounts);
  app.use(notFound);
  app.use(finalErrorHandler(options.logger));
  for (const router of options.routes ?? []) mounts.use(router);
  return {
    express: app,
    limits: options.limits,
    logger: options.logger,
    mount: (path, ...handlers) => {
      mounts.use(path, ...handlers);
    },
  };
}

const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};

/**
 * The management API under `/api`: bearer auth first (an unauthenticated caller cannot make us
 * parse a body), then JSON bodies up to `limits.managementBodyBytes`, then the routers.
 * `streamRouters` come ahead of the JSON parser: they read their own (non-JSON, streamed)
 * bodies under their own limits. Routes that need the admin role add `requireRole('admin')`.
 */
export function mountManagementApi(app: HttpApp, options: { auth: RequestHandler; routers: ReadonlyArray<Router>; streamRouters?: ReadonlyArray<Router> }): void {
  app.mount('/api', noStore, options.auth, ...(options.streamRouters ?? []), jsonBody(app.limits.managementBodyBytes), ...options.routers);
}

export interface DspRoutes {
  /** Path under the DSP base, e.g. `/catalog`, `/negotiations`, `/transfers`. */
  path: string;
  /** The error message type its refusals take (DSP 2025-1 §4 binding). */
  errorType: DspErrorType;
  router: Router;
}

/** DSP routers under `basePath` (default `/dsp`): JSON(-LD) bodies up to `limits.dspBodyBytes`, refusals as DSP errors. */
export function mountDspApi(app: HttpApp, options: { basePath?: string; routes: ReadonlyArray<DspRoutes> }): void {
  const base = (options.basePath ?? '/dsp').replace(/\/+$/, '');
  for (const { path, errorType, router } of options.routes) {
    app.mount(`${base}${path}`, dspErrors(errorType), jsonBody(app.limits.dspBodyBytes), router);
  }
}
