/**
 * JSON Schema (2020-12, the OpenAPI 3.1 dialect) building blocks for the management API
 * document: request schemas are generated from the same zod schemas the routes validate
 * with, so the two cannot drift; response shapes are declared here next to the paths.
 */
import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;

/** The input side of a zod schema (defaults make members optional), as an inline JSON Schema. */
export function fromZod(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' }) as JsonSchema;
  return rest;
}

export const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

export const str: JsonSchema = { type: 'string' };
export const int: JsonSchema = { type: 'integer' };
export const bool: JsonSchema = { type: 'boolean' };
export const dateTime: JsonSchema = { type: 'string', format: 'date-time' };
export const anyObject: JsonSchema = { type: 'object' };
export const arrayOf = (items: JsonSchema): JsonSchema => ({ type: 'array', items });

/** A closed object: `required` members first, then `optional` ones; no others allowed. */
export function object(required: Record<string, JsonSchema>, optional: Record<string, JsonSchema> = {}): JsonSchema {
  return { type: 'object', properties: { ...required, ...optional }, required: Object.keys(required), additionalProperties: false };
}

/** `{items: [...], nextCursor?}`: every paged list of the API. */
export function pageOf(item: JsonSchema): JsonSchema {
  return object({ items: arrayOf(item) }, { nextCursor: str });
}
