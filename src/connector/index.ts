/**
 * The composition root: `createConnector(config, secrets)` assembles kms, store, audit,
 * identity and the HTTP faces of one partner's connector. It is the only place where
 * adapters are chosen and wired (conventions §3).
 */
export { createConnector, connectorMigrations, type Connector, type ConnectorOptions } from './create-connector.js';
