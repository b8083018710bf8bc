/**
 * The anonymisation declaration an offering carries: the role of every column of a tabular
 * dataset, the generalisation hierarchy of each quasi-identifier and the privacy model.
 * Every column of the dataset must be declared (fail closed: an undeclared column is never
 * passed through). Validation errors name the column and the problem.
 */
import { z } from 'zod';
import { fail, ok, type Result } from '../errors/index.js';

export interface TreeNodeObject {
  label: string;
  children: TreeNode[];
}
/** A categorical hierarchy: a leaf is a dataset value, an inner node a generalised label. */
export type TreeNode = string | TreeNodeObject;

const treeNode: z.ZodType<TreeNode> = z.lazy(() =>
  z.union([
    z.string().min(1),
    z.object({ label: z.string().min(1), children: z.array(treeNode).min(1) }).strict(),
  ]),
);

const ascending = (values: number[]): boolean => values.every((v, i) => i === 0 || v > (values[i - 1] ?? v));

const numericHierarchy = z
  .object({
    type: z.literal('numeric'),
    /** Interval widths from finest to coarsest, e.g. [5, 10, 20, 50]; cuts fall on multiples of the finest. */
    widths: z.array(z.number().positive()).min(1).refine(ascending, 'widths must be strictly increasing'),
  })
  .strict();

const dateHierarchy = z
  .object({
    type: z.literal('date'),
    /** Finest granularity released: ISO dates are truncated to it, then grouped into ISO 8601 intervals. */
    finest: z.enum(['day', 'month', 'year']),
  })
  .strict();

const prefixHierarchy = z
  .object({
    type: z.literal('prefix'),
    /** Prefix lengths kept at each level, e.g. [3, 2, 1] for postcode district → area → letter. */
    lengths: z
      .array(z.number().int().positive())
      .min(1)
      .refine((v) => ascending([...v].reverse()), 'lengths must be strictly decreasing'),
  })
  .strict();

const treeHierarchy = z
  .object({
    type: z.literal('tree'),
    tree: treeNode.optional(),
    /** A JSON file beside the declaration holding the tree; resolved by `loadDeclarationFile`. */
    treeFile: z.string().min(1).optional(),
  })
  .strict()
  .refine((h) => (h.tree === undefined) !== (h.treeFile === undefined), 'give exactly one of tree or treeFile');

export const hierarchySchema = z.discriminatedUnion('type', [numericHierarchy, dateHierarchy, prefixHierarchy, treeHierarchy]);
export type HierarchyDeclaration = z.infer<typeof hierarchySchema>;

const columnSchema = z.discriminatedUnion('role', [
  z.object({ name: z.string().min(1), role: z.literal('identifier'), action: z.enum(['drop', 'pseudonymise']) }).strict(),
  z.object({ name: z.string().min(1), role: z.literal('quasi'), hierarchy: hierarchySchema }).strict(),
  z.object({ name: z.string().min(1), role: z.literal('sensitive') }).strict(),
  z.object({ name: z.string().min(1), role: z.literal('insensitive') }).strict(),
]);
export type ColumnDeclaration = z.infer<typeof columnSchema>;

export const declarationSchema = z
  .object({
    dataset: z.string().min(1),
    format: z.enum(['csv', 'jsonl']).default('csv'),
    columns: z.array(columnSchema).min(1),
    model: z
      .object({
        k: z.number().int().min(2),
        /** Distinct l-diversity over every sensitive column. */
        l: z.number().int().min(2).optional(),
        maxSuppression: z.number().min(0).max(1).default(0),
      })
      .strict(),
    /** Bytes of keyed hash kept in a pseudonym (base32); 10 bytes = 80 bits. */
    pseudonymBytes: z.number().int().min(8).max(32).default(10),
  })
  .strict();

export type AnonymisationDeclaration = z.infer<typeof declarationSchema>;

function describeIssue(input: unknown, issue: z.core.$ZodIssue): string {
  const path = issue.path;
  if (path[0] === 'columns' && typeof path[1] === 'number') {
    const column = (input as { columns?: Array<{ name?: unknown }> }).columns?.[path[1]];
    const name = typeof column?.name === 'string' ? column.name : `#${path[1]}`;
    const rest = path.slice(2).join('.');
    return `column '${name}'${rest === '' ? '' : ` (${rest})`}: ${issue.message}`;
  }
  return `${path.join('.') || 'declaration'}: ${issue.message}`;
}

function semanticProblems(decl: AnonymisationDeclaration): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const column of decl.columns) {
    if (seen.has(column.name)) problems.push(`column '${column.name}': declared more than once`);
    seen.add(column.name);
  }
  if (!decl.columns.some((c) => c.role === 'quasi')) problems.push('columns: at least one quasi-identifier is required');
  if (decl.model.l !== undefined && !decl.columns.some((c) => c.role === 'sensitive')) {
    problems.push('model.l: l-diversity needs at least one sensitive column');
  }
  return problems;
}

/** Parses and validates a declaration (inbound JSON). Trees given by file must be resolved already or later. */
export function parseDeclaration(input: unknown): Result<AnonymisationDeclaration> {
  const parsed = declarationSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => describeIssue(input, issue));
    return fail('SOV_ANON_DECLARATION_INVALID', problems.join('; '), { problems });
  }
  const problems = semanticProblems(parsed.data);
  if (problems.length > 0) return fail('SOV_ANON_DECLARATION_INVALID', problems.join('; '), { problems });
  return ok(parsed.data);
}

/** Checks a declaration against a dataset header: every column declared once, none unknown. */
export function checkHeader(decl: AnonymisationDeclaration, header: readonly string[]): Result<void> {
  const problems: string[] = [];
  const inHeader = new Set<string>();
  for (const name of header) {
    if (inHeader.has(name)) problems.push(`column '${name}': appears twice in the dataset header`);
    inHeader.add(name);
  }
  const declared = new Set(decl.columns.map((c) => c.name));
  for (const name of declared) {
    if (!inHeader.has(name)) problems.push(`column '${name}': declared but not in the dataset header`);
  }
  for (const name of inHeader) {
    if (!declared.has(name)) problems.push(`column '${name}': in the dataset but not declared (every column needs a role)`);
  }
  if (problems.length > 0) return fail('SOV_ANON_INPUT_INVALID', problems.join('; '), { problems });
  return ok(undefined);
}
