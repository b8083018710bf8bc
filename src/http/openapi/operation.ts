/**
 * One management API operation as data, turned into an OpenAPI 3.1 Operation Object: who may
 * call it (the bearer token's role), its path and query parameters, its JSON body, its
 * success response and the problem+json failures it can answer with (401 on every secured
 * operation, 403 on admin-only ones, plus those it lists).
 */
import type { z } from 'zod';
import { PROBLEM_MEDIA_TYPE } from '../problem.js';
import { fromZod, ref, type JsonSchema } from './json-schema.js';

export interface OperationSpec {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express-style, relative to /api: `/offerings/:id`. */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  /** `public`: no token; `researcher`: any valid token; `admin`: the admin token. */
  access: 'public' | 'researcher' | 'admin';
  query?: z.ZodType;
  body?: JsonSchema;
  /** Whether the body may be left out. */
  bodyOptional?: boolean;
  /** Default application/json (a dataset upload is application/octet-stream). */
  bodyMediaType?: string;
  /** `mediaType` defaults to application/json (the plaintext export is application/octet-stream). */
  success: { status: number; description: string; schema: JsonSchema; mediaType?: string };
  /** Failure statuses beyond the authentication ones. */
  failures?: number[];
}

const failureText: Record<number, string> = {
  400: 'The request is malformed or fails validation',
  401: 'The bearer token is missing or invalid',
  403: 'The token does not have the role this operation needs',
  404: 'No such resource',
  409: 'The resource is in a conflicting state',
  411: 'The request does not declare its body length',
  413: 'The request body is over the limit',
  415: 'The request body is not of the media type this operation takes',
  422: 'The data received does not verify (integrity, signature, report)',
  502: 'A remote connector could not be reached or refused',
};

/** `/offerings/:id` → `/api/offerings/{id}`. */
export function openApiPath(path: string): string {
  return `/api${path.replace(/:([A-Za-z]+)/g, '{$1}')}`;
}

function parameters(spec: OperationSpec): JsonSchema[] {
  const pathParams = [...spec.path.matchAll(/:([A-Za-z]+)/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
  if (spec.query === undefined) return pathParams;
  const query = fromZod(spec.query) as { properties?: Record<string, JsonSchema>; required?: string[] };
  const queryParams = Object.entries(query.properties ?? {}).map(([name, schema]) => {
    const { description, ...rest } = schema;
    return { name, in: 'query', required: (query.required ?? []).includes(name), schema: rest, ...(description === undefined ? {} : { description }) };
  });
  return [...pathParams, ...queryParams];
}

function failureStatuses(spec: OperationSpec): number[] {
  const auth = spec.access === 'public' ? [] : spec.access === 'admin' ? [401, 403] : [401];
  return [...new Set([...auth, ...(spec.failures ?? [])])].sort();
}

export function operationObject(spec: OperationSpec): JsonSchema {
  const responses: Record<string, JsonSchema> = {
    [spec.success.status]: { description: spec.success.description, content: { [spec.success.mediaType ?? 'application/json']: { schema: spec.success.schema } } },
  };
  for (const status of failureStatuses(spec)) {
    responses[status] = { description: failureText[status] ?? 'Failure', content: { [PROBLEM_MEDIA_TYPE]: { schema: ref('Problem') } } };
  }
  const params = parameters(spec);
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    tags: [spec.tag],
    ...(spec.access === 'public' ? { security: [] } : {}),
    ...(spec.access === 'admin' ? { 'x-required-role': 'admin' } : {}),
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(spec.body === undefined
      ? {}
      : { requestBody: { required: spec.bodyOptional !== true, content: { [spec.bodyMediaType ?? 'application/json']: { schema: spec.body } } } }),
    responses,
  };
}
