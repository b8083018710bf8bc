/**
 * Connector configuration: `connectors/<partner>/connector.json` validated once at the
 * composition root by a zod schema in which every key carries its description and default
 * (conventions §12), merged with precedence defaults < file < environment (`SOVC_*`,
 * `DATABASE_URL`) < command-line overrides, and deeply frozen. A refusal is a
 * `SOV_CONFIG_INVALID` failure naming the file (or variable), the field path and the problem.
 * Secrets never live in the config: `ensureSecrets` takes them from the environment or from
 * 0600 files under `<dataDir>/secrets/`, generating them on first run.
 */
export { loadConnectorConfig, connectorConfigPath, type LoadConfigOptions, type ConfigOverrides } from './load.js';
export { connectorConfigSchema, isLoopbackHost, type ConnectorConfig } from './resolve.js';
export {
  connectorFileSchema,
  logLevels,
  registrationNumberTypes,
  type ConnectorAddress,
  type TrustedRegistrar,
  type LogLevel,
} from './schema.js';
export { configEnvironmentVariables } from './env.js';
export { parseJsonText } from './json-file.js';
export type { ConfigIssue } from './issues.js';
export { ensureSecrets, SecretValue, MIN_SECRET_LENGTH, type ConnectorSecrets, type SecretOrigin } from './secrets.js';
export { loadPartner, partnerCodes, PROJECT_ROOT, type LoadedPartner } from './partners.js';
