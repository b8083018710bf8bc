/**
 * Schema `$id`s. Ours live under our own namespace so they never pretend to be the normative
 * upstream files (`https://w3id.org/dspace/2025/1/...`), which they follow rule for rule.
 */
const BASE = 'https://w3id.org/sovereign-connector/schemas/dsp/2025-1';

export const SCHEMA_IDS = {
  common: `${BASE}/common.json`,
  policy: `${BASE}/policy.json`,
  catalog: `${BASE}/catalog.json`,
  negotiation: `${BASE}/negotiation.json`,
  transfer: `${BASE}/transfer.json`,
  version: `${BASE}/version.json`,
} as const;

/** `$ref` to a definition in one of our schemas. */
export function ref(schema: keyof typeof SCHEMA_IDS, def: string): { $ref: string } {
  return { $ref: `${SCHEMA_IDS[schema]}#/$defs/${def}` };
}
