/**
 * The version discovery document served at `/.well-known/dspace-version` (dsp.md §2;
 * upstream `common/protocol-version-schema.json`). It carries no JSON-LD context.
 */
import { SCHEMA_IDS } from './ids.js';

const str = { type: 'string', minLength: 1 };

export const versionSchema = {
  $id: SCHEMA_IDS.version,
  $defs: {
    Auth: {
      type: 'object',
      properties: { protocol: str, version: str, profile: { type: 'array', items: { type: 'string' } } },
      required: ['protocol', 'version'],
    },
    Version: {
      type: 'object',
      properties: {
        version: str,
        path: { type: 'string' },
        binding: { enum: ['HTTPS'] },
        identifierType: str,
        serviceId: str,
        auth: { $ref: '#/$defs/Auth' },
      },
      required: ['version', 'path', 'binding'],
    },
    VersionResponse: {
      type: 'object',
      properties: { protocolVersions: { type: 'array', items: { $ref: '#/$defs/Version' }, minItems: 1 } },
      required: ['protocolVersions'],
    },
  },
} as const;
