/**
 * The last two handlers of every app: an unknown route is a JSON 404, and any error that reaches
 * express becomes a JSON failure. Express's own HTML error page and stack traces never reach a
 * client; unexpected errors are logged in full and answered with a request id only.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { DomainError, fail, type ErrorCode, type Failure } from '../errors/index.js';
import { renderFailure } from './failure-shape.js';
import { bodyFailure } from './json-body.js';
import { requestIdOf, type Logger } from './logging.js';

export const notFound: RequestHandler = (req, res) => {
  renderFailure(res, fail('SOV_HTTP_ROUTE_NOT_FOUND', `no endpoint ${req.method} ${req.path}`));
};

const clientErrorCodes: Record<number, ErrorCode> = {
  404: 'SOV_HTTP_ROUTE_NOT_FOUND',
  413: 'SOV_PAYLOAD_TOO_LARGE',
  415: 'SOV_UNSUPPORTED_MEDIA_TYPE',
};

/** Errors express itself raises carry a 4xx `status` (http-errors), e.g. a malformed percent-encoding in the path. */
function clientFailure(error: unknown): Failure | undefined {
  const { status, expose, message } = (error ?? {}) as { status?: unknown; expose?: unknown; message?: unknown };
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  // By the http-errors convention a 4xx message is meant for the client unless `expose` says otherwise.
  const detail = expose !== false && typeof message === 'string' ? message : 'the request could not be processed';
  return fail(clientErrorCodes[status] ?? 'SOV_BAD_REQUEST', detail);
}

export function finalErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (res.headersSent) {
      // Part of the response is out: the only honest signal left is to cut the connection.
      logger.error({ err: error, requestId: requestIdOf(res) }, 'error after the response started');
      res.destroy();
      return;
    }
    if (error instanceof DomainError) return renderFailure(res, error.failure);
    // A body parser some route added itself (rather than jsonBody) still yields a JSON refusal.
    const known = bodyFailure(error) ?? clientFailure(error);
    if (known !== undefined) return renderFailure(res, known);
    const requestId = requestIdOf(res);
    logger.error({ err: error, requestId, method: req.method, path: req.path }, 'unhandled error');
    renderFailure(res, fail('SOV_INTERNAL', `internal error; the connector log has the details (request ${requestId ?? 'unknown'})`, { requestId }));
  };
}
