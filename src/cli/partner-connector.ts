/**
 * Where the data-plane commands (`sovc dataset …`, `sovc transfer pull`) do their work. A
 * running connector is asked through its management API, like every other `sovc` command, so
 * an admin never has to stop a federation to add a dataset or pull a transfer. A connector
 * that is not running is opened in this process instead (its keystore, store and ciphertext
 * directory), and stopped again when the command ends; the keystore file has one writer, so
 * that path is taken only when nothing answers on the partner's address.
 */
import type { Command } from 'commander';
import { connectorConfigPath, loadConnectorConfig, loadPartner, PROJECT_ROOT, type LoadedPartner } from '../config/index.js';
import { createConnector, type Connector } from '../connector/index.js';
import { DomainError, fail, unwrap, type Result } from '../errors/index.js';
import { targetOptions, type CliIo, type ManagementTarget } from './management-client.js';

/** The io of the data-plane commands: what they touch outside themselves; tests inject their own. */
export interface PartnerIo extends CliIo {
  /** Builds the partner's connector to run here (default `createConnector`; tests add their clock and trust list). */
  openConnector?: (partner: LoadedPartner) => Promise<Result<Connector>>;
  /** Waits between two polls of a transfer (default a timer; tests let their federation's messages travel). */
  pause?: (ms: number) => Promise<void>;
  /** Where pull progress goes (default stderr, so stdout keeps the table or JSON); a TTY gets one line rewritten in place. */
  progress?: { write(text: string): void; tty: boolean };
}

export type ConnectorReach = { kind: 'api'; target: ManagementTarget } | { kind: 'here'; partner: LoadedPartner };

/** Management target options plus the help text saying both paths. */
export function partnerOptions(command: Command): Command {
  return targetOptions(command).addHelpText(
    'after',
    '\nWith --partner, a running connector is used through its management API; a stopped one is opened in this process for the command.',
  );
}

async function answers(baseUrl: string): Promise<boolean> {
  return fetch(`${baseUrl.replace(/\/+$/, '')}/health`).then(
    () => true,
    () => false,
  );
}

/** `--url` always means the management API; `--partner` means it only while that connector answers. */
export async function reachConnector(target: ManagementTarget, io: PartnerIo): Promise<ConnectorReach> {
  if (target.url !== undefined) return { kind: 'api', target };
  if (target.partner === undefined) throw new DomainError(fail('SOV_BAD_REQUEST', 'say which connector: --partner CODE or --url URL'));
  const root = io.root ?? PROJECT_ROOT;
  const config = unwrap(loadConnectorConfig({ file: connectorConfigPath(root, target.partner), projectRoot: root, env: io.env }));
  if (await answers(config.publicBaseUrl)) return { kind: 'api', target };
  return { kind: 'here', partner: unwrap(loadPartner(target.partner, { root, env: io.env as NodeJS.ProcessEnv })) };
}

/**
 * Runs `task` on the partner's connector opened in this process; `serve` binds its address for
 * the duration (an owner-held key release or a transfer needs the other connector to reach us).
 */
export async function withConnectorHere<T>(partner: LoadedPartner, serve: boolean, io: PartnerIo, task: (connector: Connector) => Promise<T>): Promise<T> {
  const connector = unwrap(await (io.openConnector ?? createConnector)(partner));
  try {
    if (serve) unwrap(await connector.start());
    return await task(connector);
  } finally {
    await connector.stop();
  }
}
