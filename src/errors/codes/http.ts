import type { ErrorSpec } from '../spec.js';

/**
 * The HTTP edge (src/http). Authentication, size and media-type refusals use the common codes
 * (`SOV_UNAUTHORIZED`, `SOV_FORBIDDEN`, `SOV_PAYLOAD_TOO_LARGE`, `SOV_UNSUPPORTED_MEDIA_TYPE`).
 */
export const httpCodes = {
  SOV_HTTP_MALFORMED_JSON: { status: 400, title: 'The request body is not valid JSON' },
  SOV_HTTP_ROUTE_NOT_FOUND: { status: 404, title: 'No such endpoint' },
  // A streamed upload (POST /api/datasets) declares its length first, so the size limit and the
  // container's declared plaintext length hold before a byte is read (RFC 9110 §15.5.12).
  SOV_HTTP_LENGTH_REQUIRED: { status: 411, title: 'The request must declare its body length (Content-Length)' },
  // Node's own whole-request limit is replaced by ours, so streamed routes can be exempted (listen.ts).
  SOV_HTTP_REQUEST_TIMEOUT: { status: 408, title: 'The request body did not arrive in time' },
  SOV_HTTP_LISTEN_FAILED: { status: 500, title: 'The HTTP server cannot listen on the configured address' },
} as const satisfies Record<string, ErrorSpec>;
