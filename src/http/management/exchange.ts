/**
 * What every management route does at its edges: validate the inbound body or query with a
 * schema before any logic sees it (design.md "Errors and input"), name the acting principal
 * for audit entries, and answer a Result as JSON or as RFC 9457 problem+json.
 */
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { fail, ok, type ErrorCode, type Result } from '../../errors/index.js';
import { principalOf } from '../auth.js';
import { problem } from '../problem.js';

export interface SchemaIssue {
  path: string;
  message: string;
}

/** `input` through `schema`, or SOV_VALIDATION_FAILED naming every field at fault. */
export function validate<S extends z.ZodType>(schema: S, input: unknown, what: string, code: ErrorCode = 'SOV_VALIDATION_FAILED'): Result<z.output<S>> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  const issues: SchemaIssue[] = parsed.error.issues.map((issue) => ({ path: issue.path.join('.') || '(root)', message: issue.message }));
  return fail(code, `The ${what} is invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });
}

/** Query strings carry text only: numeric members are converted before validation. */
export function queryOf(req: Request, numeric: readonly string[] = ['limit']): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(req.query as Record<string, unknown>)) {
    query[key] = numeric.includes(key) && typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  }
  return query;
}

/** The audit actor for the caller: `admin:<role>-<token fingerprint>` (the entry schema takes admin:<name>). */
export function actorOf(res: Response): string {
  const principal = principalOf(res);
  if (principal === undefined) throw new Error('management route reached without bearer auth');
  return `admin:${principal.role}-${principal.tokenId}`;
}

/** A Result as the response: the value as JSON with `status`, a failure as problem+json. */
export function reply<T>(res: Response, result: Result<T>, status = 200): void {
  if (result.ok) res.status(status).json(result.value);
  else problem(res, result);
}

/** Route parameters are single path segments; express types them loosely. */
export function paramOf(req: Request, name: string): string {
  const value = (req.params as Record<string, string | undefined>)[name];
  if (value === undefined) throw new Error(`route has no :${name} parameter`);
  return value;
}

/**
 * Streams a body (decrypted plaintext) as an attachment, waiting for `drain` so memory stays
 * flat; a failure after the first byte cuts the connection, so a client never takes a truncated
 * or unverified body for a whole one.
 */
export async function streamAttachment(res: Response, body: AsyncIterable<Uint8Array>): Promise<void> {
  res.status(200).type('application/octet-stream').set({ 'Content-Disposition': 'attachment', 'Cache-Control': 'no-store' });
  try {
    for await (const chunk of body) {
      if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
    }
    res.end();
  } catch {
    // Headers are out: cutting the connection is the only signal a client cannot miss.
    res.destroy();
  }
}
