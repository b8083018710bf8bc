/**
 * The HTTP edge: an express 5 app skeleton (`createHttpApp`) with JSON-only errors, the
 * management API mount behind bearer-token auth with admin/researcher roles, DSP mounts whose
 * refusals are DSP error bodies, size-limited JSON body parsing, the public identity routes
 * (DID document, self-description, DCP credential endpoint, health), request logging and a
 * `listen` with graceful shutdown. No domain logic lives here: the composition root passes in
 * plain functions and routers. Failures render as RFC 9457 problem+json (`problem`) or DSP error
 * messages (`dspError`) from the one error catalogue.
 */
export { createHttpApp, mountManagementApi, mountDspApi, type HttpApp, type HttpAppOptions, type HttpLimits, type DspRoutes } from './app.js';
export { createBearerAuth, requireRole, principalOf, type Role, type Principal, type LoginEvent, type BearerAuthOptions } from './auth.js';
export { problem, problemBody, PROBLEM_MEDIA_TYPE, type ProblemBody } from './problem.js';
export { dspError, dspErrorBody, DSP_CONTEXT_URL, type DspErrorType, type DspErrorOptions, type DspErrorBody } from './dsp-error.js';
export { renderFailure, dspErrors, type FailureRenderer } from './failure-shape.js';
export { jsonBody, rawBodyOf } from './json-body.js';
export {
  identityRoutes,
  identityPaths,
  type IdentityRoutesOptions,
  type PresentationQueryRequest,
  type JsonObject,
} from './identity-routes.js';
export { callerAuth, callerOf, streamedCallerAuth, streamedBodyOf, type CallerAuthOptions } from './caller-auth.js';
export { listen, streamedBody, type ListenOptions, type RunningServer } from './listen.js';
export { createLogger, requestIdOf, type Logger } from './logging.js';
