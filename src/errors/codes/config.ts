import type { ErrorSpec } from '../spec.js';

/**
 * Connector configuration and secrets (src/config). All are operator errors found at start, so
 * they are 500s if they ever reach HTTP; the CLI prints their detail, which names the file,
 * the field and the problem. `SOV_CONFIG_INVALID` (a file or value that fails the schema) is in
 * the common codes.
 */
export const configCodes = {
  SOV_CONFIG_NOT_FOUND: { status: 500, title: 'The connector configuration file does not exist or cannot be read' },
  SOV_CONFIG_SECRET_INSECURE: { status: 500, title: 'A secret file is accessible to other users' },
  SOV_CONFIG_SECRET_UNAVAILABLE: { status: 500, title: 'A secret cannot be read or created' },
  SOV_CONFIG_SECRET_LOCATION: { status: 500, title: 'Secrets may not be stored under connectors/, which is in version control' },
} as const satisfies Record<string, ErrorSpec>;
