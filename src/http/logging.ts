/**
 * Request logging with pino: one line per finished request (method, path without the query
 * string, status, duration, request id). Headers are never logged, so tokens cannot leak.
 * Tests pass a logger at level "silent".
 */
import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

export function createLogger(options: { level: string; name?: string }): Logger {
  return pino({ name: options.name ?? 'sovc', level: options.level });
}

const REQUEST_ID_KEY = 'sovcRequestId';

/** The id the request log line and any 500 detail share, so an operator can find one from the other. */
export function requestIdOf(res: Response): string | undefined {
  return res.locals[REQUEST_ID_KEY] as string | undefined;
}

export function requestLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const requestId = randomUUID();
    const started = performance.now();
    res.locals[REQUEST_ID_KEY] = requestId;
    res.set('X-Request-Id', requestId);
    res.on('finish', () => {
      logger.info(
        { requestId, method: req.method, path: req.originalUrl.split('?')[0], status: res.statusCode, ms: Math.round(performance.now() - started) },
        'request',
      );
    });
    next();
  };
}
