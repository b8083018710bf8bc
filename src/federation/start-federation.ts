/**
 * `npm start`: the coalition on one machine. Each partner gets its national registrar and its
 * connector, each with its own keystore, store and data folder; every connector's trust list
 * names the registrars (its own file's entries first: that list is the partner's sovereign
 * choice, the federation only adds the coalition's registrars); each registrar accredits its
 * own nation's connector. Every step is idempotent, so a second run — or a run after a killed
 * first one — reuses what exists.
 */
import { systemClock, type Clock } from '../clock/index.js';
import { type ConfigOverrides, type ConnectorConfig, type TrustedRegistrar, loadPartner, type LoadedPartner } from '../config/index.js';
import { createConnector, type Connector, type ConnectorOptions } from '../connector/index.js';
import { fail, ok, type Result } from '../errors/index.js';
import type { Logger } from '../http/index.js';
import type { KdfParams } from '../kms/index.js';
import { ensureMembership } from './membership.js';
import { hostRegistrar, type HostedRegistrar } from './national-registrar.js';
import { seedSampleOfferings, type SeedOutcome } from './sample-offerings.js';

export interface FederationOptions {
  partners: string[];
  logger: Logger;
  root?: string;
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  kdf?: KdfParams;
  /** Per-partner config overrides (tests: ports, data dirs). */
  overrides?: Record<string, ConfigOverrides>;
  /** Registrars of partners running elsewhere (SOVC_TRUST_DIR), added to every trust list. */
  peerRegistrars?: TrustedRegistrar[];
  /** Passed to each connector (tests: DSP worker options). */
  connectorOptions?: Pick<ConnectorOptions, 'dsp' | 'fetch' | 'sqliteSynchronous'>;
  /** Register each partner's sample offerings and datasets (connectors/<code>/offerings.json); default true. */
  seed?: boolean;
}

export interface FederationMember {
  code: string;
  config: ConnectorConfig;
  secrets: LoadedPartner['secrets'];
  connector: Connector;
  registrar: HostedRegistrar;
  url: string;
  /** What seeding did this run (empty when `seed` is false). */
  seeded: SeedOutcome[];
}

export interface Federation {
  members: FederationMember[];
  stop(): Promise<void>;
}

function load(code: string, options: FederationOptions, trustList?: TrustedRegistrar[]): Result<LoadedPartner> {
  const overrides: ConfigOverrides = { ...(options.overrides?.[code] ?? {}) };
  const partner = loadPartner(code, { ...(options.root ? { root: options.root } : {}), ...(options.env ? { env: options.env } : {}), overrides });
  if (!partner.ok || trustList === undefined) return partner;
  const own = partner.value.config.trustList as TrustedRegistrar[];
  const added = trustList.filter((entry) => !own.some((mine) => mine.did === entry.did));
  return loadPartner(code, {
    ...(options.root ? { root: options.root } : {}),
    ...(options.env ? { env: options.env } : {}),
    overrides: { ...overrides, trustList: [...own, ...added] },
  });
}

async function settleAll<T>(tasks: Array<Promise<Result<T>>>): Promise<Result<T[]>> {
  const results = await Promise.all(tasks);
  const failure = results.find((result) => !result.ok);
  if (failure !== undefined && !failure.ok) return failure;
  return ok(results.map((result) => (result as { ok: true; value: T }).value));
}

export async function startFederation(options: FederationOptions): Promise<Result<Federation>> {
  const clock = options.clock;
  const started: Array<{ stop(): Promise<void> }> = [];
  const stopAll = async () => {
    await Promise.allSettled(started.reverse().map((part) => part.stop()));
  };
  const common = { logger: options.logger, ...(clock ? { clock } : {}), ...(options.kdf ? { kdf: options.kdf } : {}) };

  const first = await settleAll(options.partners.map(async (code) => load(code, options)));
  if (!first.ok) return first;
  const registrars = await settleAll(
    first.value.map(async (partner) => {
      const hosted = await hostRegistrar({ config: partner.config, clock: clock ?? systemClock, logger: options.logger, ...(options.env ? { env: options.env } : {}), ...(options.kdf ? { kdf: options.kdf } : {}) });
      if (hosted.ok) started.push(hosted.value);
      return hosted;
    }),
  );
  if (!registrars.ok) {
    await stopAll();
    return registrars;
  }
  const hostedEntries = registrars.value.map((hosted) => hosted.trustEntry);
  const trustList = [...hostedEntries, ...(options.peerRegistrars ?? []).filter((peer) => !hostedEntries.some((own) => own.did === peer.did))];

  const members: FederationMember[] = [];
  const opened = await settleAll(
    options.partners.map(async (code, index): Promise<Result<FederationMember>> => {
      const partner = load(code, options, trustList);
      if (!partner.ok) return partner;
      const connector = await createConnector({ ...partner.value, ...common, ...(options.connectorOptions ?? {}) });
      if (!connector.ok) return connector;
      started.push(connector.value);
      const bound = await connector.value.start();
      if (!bound.ok) return bound;
      const registrar = registrars.value[index] as HostedRegistrar;
      const membership = await ensureMembership(connector.value, registrar.registrar, partner.value.config);
      if (!membership.ok) return membership;
      const seeded = options.seed === false ? ok([]) : await seedSampleOfferings(connector.value);
      if (!seeded.ok) return seeded;
      return ok({ code, config: partner.value.config, secrets: partner.value.secrets, connector: connector.value, registrar, url: bound.value.url, seeded: seeded.value });
    }),
  );
  if (!opened.ok) {
    await stopAll();
    return opened;
  }
  members.push(...opened.value);
  if (members.length === 0) return fail('SOV_CONFIG_NOT_FOUND', 'no partners to start: add connectors/<code>/connector.json');
  return ok({ members, stop: stopAll });
}
