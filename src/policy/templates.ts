/**
 * Contract templates (issue 4 "Contract templates"): ODRL JSON-LD files in `contracts/`, listed
 * with a one-line description in `contracts/templates.json`. A template may hold placeholders
 * `{{name}}`, declared with a type: a string that is exactly a placeholder becomes the typed
 * value (an integer, a place `{"@id"}`, a list of places), one inside a longer string is
 * substituted as text (`"P{{days}}D"`). Parameters are validated before substitution and a
 * placeholder left over is an error, so an instantiated template is a complete policy.
 */
import { z } from 'zod';
import { fail, ok, type Result } from '../errors/index.js';
import { placeIri } from './iri.js';

const parameterSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('integer'), description: z.string(), minimum: z.number().int().optional(), maximum: z.number().int().optional() }).strict(),
  z.object({ type: z.literal('partner'), description: z.string() }).strict(),
  z.object({ type: z.literal('partners'), description: z.string() }).strict(),
  z.object({ type: z.literal('string'), description: z.string() }).strict(),
]);

const indexSchema = z
  .object({
    $comment: z.string().optional(),
    templates: z.array(
      z
        .object({
          name: z.string().regex(/^[a-z0-9-]+$/),
          file: z.string().regex(/^[a-z0-9-]+\.jsonld$/),
          description: z.string().min(1),
          parameters: z.record(z.string().regex(/^[a-zA-Z]+$/), parameterSchema).default({}),
          example: z.record(z.string(), z.unknown()).default({}),
        })
        .strict(),
    ),
  })
  .strict();

export type TemplateParameter = z.infer<typeof parameterSchema>;

export interface TemplateInfo {
  name: string;
  file: string;
  /** The one line admins see when attaching a template to an offering. */
  description: string;
  parameters: Record<string, TemplateParameter>;
  /** Parameters that instantiate the template for tests and the CLI's examples. */
  example: Record<string, unknown>;
}

/** Policy-level values set on an instantiated template (IM §2.7.1 applies them to every rule). */
export interface TemplateOverrides {
  uid?: string;
  assigner?: string;
  target?: string;
}

export interface TemplateCatalogue {
  list(): TemplateInfo[];
  instantiate(name: string, params: Record<string, unknown>, overrides?: TemplateOverrides): Result<Record<string, unknown>>;
}

const partnerId = z.string().regex(/^[a-z]{2,8}(\/[a-z]{2,8})?$/);

function paramsSchema(parameters: Record<string, TemplateParameter>): z.ZodType<Record<string, unknown>> {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, spec] of Object.entries(parameters)) {
    if (spec.type === 'integer') {
      let schema = z.number().int();
      if (spec.minimum !== undefined) schema = schema.min(spec.minimum);
      if (spec.maximum !== undefined) schema = schema.max(spec.maximum);
      shape[name] = schema;
    } else if (spec.type === 'partner') shape[name] = partnerId;
    else if (spec.type === 'partners') shape[name] = z.preprocess((value) => (typeof value === 'string' ? [value] : value), z.array(partnerId).min(1));
    else shape[name] = z.string().min(1);
  }
  return z.object(shape).strict();
}

function typedValue(spec: TemplateParameter, value: unknown): unknown {
  if (spec.type === 'partner') return { '@id': placeIri(value as string) };
  if (spec.type === 'partners') return (value as string[]).map((item) => ({ '@id': placeIri(item) }));
  return value;
}

const PLACEHOLDER = /\{\{([a-zA-Z]+)\}\}/g;
const EXACT = /^\{\{([a-zA-Z]+)\}\}$/;

function substitute(node: unknown, values: ReadonlyMap<string, { spec: TemplateParameter; value: unknown }>): unknown {
  if (Array.isArray(node)) return node.map((item) => substitute(item, values));
  if (typeof node === 'object' && node !== null) {
    return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, substitute(item, values)]));
  }
  if (typeof node !== 'string') return node;
  const exact = EXACT.exec(node);
  const whole = exact === null ? undefined : values.get(exact[1] as string);
  if (whole !== undefined) return typedValue(whole.spec, whole.value);
  return node.replace(PLACEHOLDER, (match, name: string) => {
    const entry = values.get(name);
    return entry === undefined || typeof entry.value === 'object' ? match : String(entry.value);
  });
}

function instantiateOne(template: TemplateInfo, document: unknown, params: Record<string, unknown>, overrides: TemplateOverrides): Result<Record<string, unknown>> {
  const parsed = paramsSchema(template.parameters).safeParse(params);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(params)'}: ${issue.message}`);
    return fail('SOV_POLICY_TEMPLATE_PARAMS', `template ${template.name}: ${issues.join('; ')}`, { template: template.name, issues });
  }
  const values = new Map(Object.entries(template.parameters).map(([name, spec]) => [name, { spec, value: parsed.data[name] }]));
  const policy = substitute(document, values) as Record<string, unknown>;
  const leftover = JSON.stringify(policy).match(PLACEHOLDER);
  if (leftover !== null) {
    return fail('SOV_POLICY_TEMPLATE_PARAMS', `template ${template.name} has undeclared or missing parameters: ${[...new Set(leftover)].join(', ')}`, { template: template.name });
  }
  for (const key of ['uid', 'assigner', 'target'] as const) if (overrides[key] !== undefined) policy[key] = overrides[key];
  return ok(policy);
}

/** Validates `contracts/templates.json` and reads each template document through `read`. */
export function parseTemplateCatalogue(index: unknown, read: (file: string) => Result<unknown>): Result<TemplateCatalogue> {
  const parsed = indexSchema.safeParse(index);
  if (!parsed.success) {
    return fail('SOV_CONFIG_INVALID', `contracts/templates.json: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  }
  const documents = new Map<string, { info: TemplateInfo; document: unknown }>();
  for (const info of parsed.data.templates) {
    const document = read(info.file);
    if (!document.ok) return document;
    documents.set(info.name, { info, document: document.value });
  }
  return ok({
    list: () => [...documents.values()].map(({ info }) => info),
    instantiate(name, params, overrides = {}) {
      const entry = documents.get(name);
      if (entry === undefined) return fail('SOV_POLICY_TEMPLATE_UNKNOWN', `no contract template named ${name}`, { name, known: [...documents.keys()] });
      return instantiateOne(entry.info, entry.document, params, overrides);
    },
  });
}
