import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A minimal valid connector.json: only the keys without defaults. */
export function minimalConnectorFile(): Record<string, unknown> {
  const address = { countrySubdivisionCode: 'GB-ENG' };
  return {
    name: 'Test connector',
    partner: 'uk',
    jurisdiction: 'UK',
    legal: {
      legalName: 'Test Agency (demo)',
      registrationNumber: { type: 'local', value: 'TEST-1' },
      headquarterAddress: address,
      legalAddress: address,
    },
  };
}

/** A throwaway project root with `connectors/uk/connector.json` holding `content` (string = raw text). */
export function projectWithConfig(content: unknown): { root: string; file: string } {
  const root = mkdtempSync(join(tmpdir(), 'sovc-config-'));
  const file = join(root, 'connectors', 'uk', 'connector.json');
  mkdirSync(join(root, 'connectors', 'uk'), { recursive: true });
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return { root, file };
}
