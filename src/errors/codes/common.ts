import type { ErrorSpec } from '../spec.js';

export const commonCodes = {
  SOV_BAD_REQUEST: { status: 400, title: 'The request is malformed' },
  SOV_VALIDATION_FAILED: { status: 400, title: 'The request body does not match its schema' },
  SOV_UNAUTHORIZED: { status: 401, title: 'Authentication is missing or invalid' },
  SOV_FORBIDDEN: { status: 403, title: 'The caller may not perform this action' },
  SOV_NOT_FOUND: { status: 404, title: 'No such resource' },
  SOV_CONFLICT: { status: 409, title: 'The resource is in a conflicting state' },
  SOV_PAYLOAD_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  SOV_UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'The request body is not of a media type this endpoint takes' },
  SOV_CONFIG_INVALID: { status: 500, title: 'The connector configuration is invalid' },
  SOV_INTERNAL: { status: 500, title: 'Internal error' },
  SOV_UPSTREAM_UNAVAILABLE: { status: 502, title: 'A remote connector could not be reached' },
} as const satisfies Record<string, ErrorSpec>;
