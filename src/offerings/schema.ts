/**
 * Validation of offering input from the management API and the CLI (zod): strict objects, so a
 * misspelt field is refused rather than ignored, with bounded sizes. A failure names every
 * field at fault.
 */
import { z } from 'zod';
import { fail, ok, type Result } from '../errors/index.js';

const text = (max: number) => z.string().trim().min(1).max(max);
/** Dataset ids are IRIs (DCAT `@id`, the DSP `target`): a scheme, then no whitespace. */
const iri = z.string().max(2000).regex(/^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/, 'expected an IRI such as urn:uuid:… or https://…');

const policySourceSchema = z.union([
  z.strictObject({
    template: z.string().regex(/^[a-z0-9-]+$/, 'a template name from contracts/templates.json'),
    params: z.record(z.string(), z.unknown()).default({}),
  }),
  z.strictObject({ odrl: z.record(z.string(), z.unknown()) }),
]);

const fields = {
  title: text(300),
  description: text(5000).optional(),
  keywords: z.array(text(100)).max(50),
  formats: z.array(text(100)).min(1).max(10),
  policy: policySourceSchema,
  classification: text(100),
  personalData: z.boolean(),
  dataSource: z.strictObject({ type: text(50), reference: text(2000) }),
  anonymisation: z.strictObject({ declarationRef: text(2000) }).optional(),
};

export const createOfferingSchema = z.strictObject({
  ...fields,
  /** The dataset IRI; generated when absent. */
  id: iri.optional(),
  keywords: fields.keywords.default([]),
  /** Distribution formats (DSP transfer `format`): both ways over HTTP unless the offering says otherwise. */
  formats: fields.formats.default(['HttpData-PULL', 'HttpData-PUSH']),
});

export const updateOfferingSchema = z
  .strictObject({
    ...fields,
    /** The version the admin read: the update is refused if the offering changed since. */
    expectedVersion: z.number().int().positive(),
  })
  .partial()
  .refine((value) => Object.keys(value).some((key) => key !== 'expectedVersion'), 'nothing to update');

export type CreateOfferingInput = z.input<typeof createOfferingSchema>;
export type UpdateOfferingInput = z.input<typeof updateOfferingSchema>;

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): Result<z.output<S>> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(offering)'}: ${issue.message}`);
  return fail('SOV_OFFERING_INVALID', `The offering is invalid: ${issues.join('; ')}`, { issues });
}
