/**
 * Schema for evaluation input that arrives as data (the CLI's request file, or any caller
 * holding untrusted JSON): `{ request, world }` as documented in `types.ts`. `evaluate` itself
 * trusts its typed arguments so the hot path stays free of validation cost.
 */
import { z } from 'zod';
import { fail, ok, type Result } from '../errors/index.js';
import type { PolicyRequest, PolicyWorld } from './types.js';

const instant = z.union([z.string().min(1), z.number()]);
const operandValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);

const requestSchema = z
  .object({
    action: z.string().min(1),
    target: z.string().min(1),
    purpose: z.string().min(1).optional(),
    assignee: z
      .object({
        id: z.string().min(1),
        nation: z.string().min(1).optional(),
        roles: z.array(z.string()).optional(),
        memberships: z.array(z.string()).optional(),
        industry: z.string().optional(),
      })
      .strict(),
  })
  .strict();

const worldSchema = z
  .object({
    now: instant,
    agreementTime: instant.optional(),
    elapsed: z.union([z.number().nonnegative(), z.string()]).optional(),
    uses: z.number().int().nonnegative().optional(),
    recipientJurisdiction: z.string().optional(),
    residency: z.array(z.string()).optional(),
    metadataResidency: z.array(z.string()).optional(),
    classification: z.union([z.string(), z.number().int()]).optional(),
    personalData: z.boolean().optional(),
    dataProtectionRegime: z.string().optional(),
    dutiesFulfilled: z.array(z.string()).optional(),
    partOf: z.record(z.string(), z.array(z.string())).optional(),
    spatial: z.string().optional(),
    recipient: z.string().optional(),
    events: z.record(z.string(), z.object({ start: instant, end: instant.optional() }).strict()).optional(),
    operands: z.record(z.string(), operandValue).optional(),
    references: z.record(z.string(), operandValue).optional(),
  })
  .strict();

const inputSchema = z.object({ request: requestSchema, world: worldSchema }).strict();

export interface EvaluationInput {
  request: PolicyRequest;
  world: PolicyWorld;
}

export function parseEvaluationInput(json: unknown): Result<EvaluationInput> {
  const parsed = inputSchema.safeParse(json);
  if (parsed.success) return ok(parsed.data as EvaluationInput);
  const issues = parsed.error.issues.map((issue) => `$.${issue.path.join('.')}: ${issue.message}`);
  return fail('SOV_POLICY_REQUEST_INVALID', `evaluation input: ${issues.join('; ')}`, { issues });
}
