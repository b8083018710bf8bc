import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { connectorFileSchema } from '../../src/config/index.js';

interface JsonSchemaNode {
  description?: string;
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
}

/** Every property path below `node` that lacks a description. */
function undescribed(node: JsonSchemaNode, path: string): string[] {
  const own = Object.entries(node.properties ?? {}).flatMap(([key, child]) => [
    ...(child.description === undefined ? [`${path}${key}`] : []),
    ...undescribed(child, `${path}${key}.`),
  ]);
  return node.items === undefined ? own : [...own, ...undescribed(node.items, `${path}[].`)];
}

describe('connector.json schema documentation (conventions §12)', () => {
  it('describes every key, nested ones included', () => {
    const schema = z.toJSONSchema(connectorFileSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;
    expect(undescribed(schema, '')).toEqual([]);
  });
});
