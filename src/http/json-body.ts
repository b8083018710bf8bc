/**
 * JSON request bodies with a size limit. Every refusal is a value rendered in the route's shape
 * (problem+json or DSP error): too large → 413, not JSON → 415, malformed → 400. The raw bytes
 * are kept so connector tokens can be checked against the body they were issued for.
 */
import express, { type Request, type RequestHandler } from 'express';
import { fail, type Failure } from '../errors/index.js';
import { renderFailure } from './failure-shape.js';

/** `application/json` and every `+json` suffix type (ld+json for JSON-LD, problem+json). */
const JSON_TYPES = ['application/json', 'application/*+json'];

const rawBodies = new WeakMap<Request, Buffer>();

/** The exact bytes of a parsed JSON body, or undefined when the request had none. */
export function rawBodyOf(req: Request): Uint8Array | undefined {
  return rawBodies.get(req);
}

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

interface BodyParserError {
  type?: string;
  status?: number;
  message?: string;
}

/** Maps body-parser's error `type`s (body-parser 2.x README, "Errors") onto catalogue codes. */
export function bodyFailure(error: unknown, limitBytes?: number): Failure | undefined {
  const { type, status, message } = (error ?? {}) as BodyParserError;
  switch (type) {
    case 'entity.too.large':
      return limitBytes === undefined
        ? fail('SOV_PAYLOAD_TOO_LARGE', 'the request body is too large')
        : fail('SOV_PAYLOAD_TOO_LARGE', `the request body exceeds the limit of ${limitBytes} bytes`, { limitBytes });
    case 'entity.parse.failed':
      return fail('SOV_HTTP_MALFORMED_JSON', `the request body is not valid JSON: ${message ?? 'parse error'}`);
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return fail('SOV_UNSUPPORTED_MEDIA_TYPE', `the request body must be JSON in UTF-8 without content coding: ${message ?? type}`);
    default:
      // Only body-parser's own errors carry a `type`; anything else is not about the body.
      return type !== undefined && status !== undefined && status >= 400 && status < 500
        ? fail('SOV_BAD_REQUEST', `the request body could not be read: ${message ?? type}`)
        : undefined;
  }
}

export function jsonBody(limitBytes: number): RequestHandler {
  const parse = express.json({
    limit: limitBytes,
    type: JSON_TYPES,
    strict: true,
    verify: (req, _res, buffer) => {
      rawBodies.set(req as Request, buffer);
    },
  });
  return (req, res, next) => {
    if (!hasBody(req)) return next();
    if (!req.is(JSON_TYPES)) {
      const got = req.headers['content-type'] ?? 'none';
      return renderFailure(res, fail('SOV_UNSUPPORTED_MEDIA_TYPE', `expected Content-Type application/json, got ${got}`));
    }
    parse(req, res, (error?: unknown) => {
      if (error === undefined) return next();
      const failure = bodyFailure(error, limitBytes);
      if (failure === undefined) return next(error);
      renderFailure(res, failure);
    });
  };
}
