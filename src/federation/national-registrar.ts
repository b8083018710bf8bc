/**
 * A nation's registrar hosted beside its connector for the local federation: its own data
 * folder (keystore, status lists, accreditations) under the partner's data dir, served on the
 * registrar port at its did:web path, and the trust-list entry (DID + pinned key) partners
 * put on their own lists (identity.md §7.1: unpinned keys are refused).
 */
import { join } from 'node:path';
import type { Clock } from '../clock/index.js';
import type { ConnectorConfig, TrustedRegistrar } from '../config/index.js';
import { fail, ok, type Result } from '../errors/index.js';
import { createHttpApp, listen, type Logger, type RunningServer } from '../http/index.js';
import type { KdfParams } from '../kms/index.js';
import { openRegistrarDataDir, registrarMountPath, registrarRoutes, registrarTrustEntry, type Registrar } from '../trust/index.js';

export interface HostedRegistrar {
  registrar: Registrar;
  trustEntry: TrustedRegistrar;
  stop(): Promise<void>;
}

export interface HostRegistrarOptions {
  config: ConnectorConfig;
  clock: Clock;
  logger: Logger;
  env?: Readonly<Record<string, string | undefined>>;
  kdf?: KdfParams;
}

export function registrarBaseUrl(config: ConnectorConfig): Result<string> {
  if (config.registrar.port === undefined) {
    return fail('SOV_CONFIG_INVALID', `${config.configFile}: registrar.port: the local federation runs each registrar on its own port`);
  }
  // The registrar is published on the connector's public host (config.host may be a bind-all
  // address such as 0.0.0.0, which is no valid did:web host), on its own port.
  const publicUrl = new URL(config.publicBaseUrl);
  publicUrl.port = String(config.registrar.port);
  return ok(`${publicUrl.origin}${config.registrar.path}`);
}

export async function hostRegistrar(options: HostRegistrarOptions): Promise<Result<HostedRegistrar>> {
  const { config } = options;
  const baseUrl = registrarBaseUrl(config);
  if (!baseUrl.ok) return baseUrl;
  const opened = await openRegistrarDataDir({
    dataDir: join(config.dataDir, 'registrar'),
    baseUrl: baseUrl.value,
    clock: options.clock,
    create: true,
    ...(options.env ? { env: options.env } : {}),
    ...(options.kdf ? { kdf: options.kdf } : {}),
  });
  if (!opened.ok) return opened;
  const { registrar } = opened.value;
  const app = createHttpApp({ logger: options.logger, limits: config.limits });
  app.mount(registrarMountPath(registrar), registrarRoutes(registrar));
  const bound = await listen(app, { host: config.host, port: config.registrar.port as number });
  if (!bound.ok) {
    opened.value.close();
    return bound;
  }
  const server: RunningServer = bound.value;
  return ok({
    registrar,
    trustEntry: registrarTrustEntry(registrar, `${config.jurisdiction} national registrar`),
    async stop() {
      await server.close({ graceMs: 2_000 });
      opened.value.close();
    },
  });
}
