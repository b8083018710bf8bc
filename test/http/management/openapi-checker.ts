/**
 * Checks real management API responses against the OpenAPI document: the request must match
 * a documented operation, the status must be one of its documented responses, the media type
 * the documented one, and the body must validate (ajv, JSON Schema 2020-12) against that
 * response's schema. Records which operations were seen succeeding and failing.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

type Json = Record<string, unknown>;

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;

interface DocumentedOperation {
  key: string;
  method: string;
  path: string;
  pattern: RegExp;
  params: number;
  responses: Record<string, { content?: Record<string, unknown> }>;
}

const pointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

export interface CheckedResponse {
  status: number;
  body: unknown;
  operation: string;
}

export function openApiChecker(document: Json) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(document, 'openapi');
  const operations: DocumentedOperation[] = [];
  for (const [path, item] of Object.entries(document['paths'] as Record<string, Record<string, Json>>)) {
    for (const [method, operation] of Object.entries(item)) {
      const pattern = new RegExp(`^${path.replace(/\{[A-Za-z]+\}/g, '[^/]+')}$`);
      operations.push({ key: `${method} ${path}`, method, path, pattern, params: (path.match(/\{/g) ?? []).length, responses: operation['responses'] as DocumentedOperation['responses'] });
    }
  }
  operations.sort((a, b) => a.params - b.params);
  const outcomes = new Map<string, Set<'success' | 'failure'>>(operations.map((op) => [op.key, new Set()]));

  function check(method: string, url: string, status: number, contentType: string, body: unknown): string {
    const path = new URL(url, 'http://x').pathname;
    const operation = operations.find((op) => op.method === method.toLowerCase() && op.pattern.test(path));
    if (operation === undefined) throw new Error(`${method} ${path} is not documented`);
    const response = operation.responses[String(status)];
    if (response === undefined) throw new Error(`${operation.key} answered ${status}, which is not documented (${JSON.stringify(body)})`);
    const mediaType = contentType.split(';')[0]?.trim() ?? '';
    if (response.content?.[mediaType] === undefined) throw new Error(`${operation.key} ${status} answered ${mediaType}, documented: ${Object.keys(response.content ?? {}).join(', ')}`);
    const ref = `openapi#/paths/${pointer(operation.path)}/${operation.method}/responses/${status}/content/${pointer(mediaType)}/schema`;
    const validate = ajv.getSchema(ref);
    if (validate === undefined) throw new Error(`no schema at ${ref}`);
    if (!validate(body)) throw new Error(`${operation.key} ${status} body does not match the document: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 2000)}`);
    outcomes.get(operation.key)?.add(status < 400 ? 'success' : 'failure');
    return operation.key;
  }

  return {
    check,
    operationKeys: () => operations.map((op) => op.key).sort(),
    /** Operations not yet seen with this outcome. */
    missing: (outcome: 'success' | 'failure') => [...outcomes].filter(([, seen]) => !seen.has(outcome)).map(([key]) => key).sort(),
  };
}

export type OpenApiChecker = ReturnType<typeof openApiChecker>;

/** A management API client whose every response goes through `checker`. */
export function checkedClient(base: string, checker: OpenApiChecker) {
  /** `body` is sent as JSON; `bytes` as an application/octet-stream upload with its Content-Length. */
  return async (method: string, path: string, options: { token?: string; body?: unknown; bytes?: Uint8Array } = {}): Promise<CheckedResponse> => {
    const headers: Record<string, string> = {};
    if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.bytes !== undefined) headers['content-type'] = 'application/octet-stream';
    const sent = (options.bytes ?? (options.body === undefined ? undefined : JSON.stringify(options.body))) as BodyInit | undefined;
    const response = await fetch(`${base}${path}`, { method, headers, ...(sent === undefined ? {} : { body: sent }) });
    const contentType = response.headers.get('content-type') ?? '';
    // Binary answers (a dataset's plaintext) are checked as the string the document declares.
    const body = (/json/.test(contentType) ? await response.json() : await response.text()) as unknown;
    const operation = checker.check(method, path, response.status, contentType, body);
    return { status: response.status, body, operation };
  };
}
