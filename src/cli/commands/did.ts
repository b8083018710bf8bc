/**
 * `sovc did show`: prints the connector's DID document (what `/.well-known/did.json` serves),
 * built from its keystore and public base URL. The connector is named by `--config`
 * (connector.json: base URL and data dir) or by `--data-dir` plus `--base-url`; the keystore
 * and its passphrase are found as for `sovc keys` (SOVC_KEYSTORE_PASSPHRASE or a file).
 * Also exports the helpers `sovc credential` shares.
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { systemClock } from '../../clock/index.js';
import { loadConnectorConfig } from '../../config/index.js';
import { DomainError, fail, unwrap } from '../../errors/index.js';
import {
  createConnectorIdentity,
  createJsonFileStatusListRepository,
  shippedJsonLdContexts,
  type ConnectorIdentity,
  type IssuerTrustCheck,
} from '../../identity/index.js';
import type { FileKms } from '../../kms/index.js';
import { keystoreFiles, openExistingKeystore } from '../keystore-access.js';

export interface ConnectorLocation {
  config?: string;
  dataDir?: string;
  baseUrl?: string;
  keystore?: string;
  passphraseFile?: string;
}

export interface CliIo {
  env: Readonly<Record<string, string | undefined>>;
  out(text: string): void;
}

export const processIo: CliIo = { env: process.env, out: (text) => console.log(text) };

interface ResolvedLocation {
  dataDir: string;
  baseUrl: string;
  keystore: string;
  passphraseFile: string;
}

export function resolveLocation(location: ConnectorLocation, env: CliIo['env']): ResolvedLocation {
  const config = location.config === undefined ? undefined : unwrap(loadConnectorConfig({ file: location.config, env }));
  const dataDir = location.dataDir ?? config?.dataDir ?? env['SOVC_DATA_DIR'];
  const baseUrl = location.baseUrl ?? config?.publicBaseUrl;
  if (dataDir === undefined || baseUrl === undefined) {
    throw new DomainError(fail('SOV_BAD_REQUEST', 'name the connector: --config connectors/<partner>/connector.json, or --data-dir DIR and --base-url URL'));
  }
  return {
    dataDir,
    baseUrl,
    ...keystoreFiles(dataDir, location),
  };
}

/** Opens the connector's existing keystore, builds its identity, runs `task` (with the kms too, e.g. for audit checkpoints), closes the keystore. */
export async function withConnectorIdentity<T>(
  location: ConnectorLocation,
  io: CliIo,
  task: (identity: ConnectorIdentity, kms: FileKms) => Promise<T>,
  isTrustedIssuer?: IssuerTrustCheck,
): Promise<T> {
  const where = resolveLocation(location, io.env);
  const kms = await openExistingKeystore(where, io.env);
  try {
    const identity = createConnectorIdentity({
      baseUrl: where.baseUrl,
      kms,
      clock: systemClock,
      contexts: shippedJsonLdContexts(),
      statusListRepository: createJsonFileStatusListRepository({ path: join(where.dataDir, 'status-lists.json') }),
      ...(isTrustedIssuer === undefined ? {} : { isTrustedIssuer }),
    });
    return await task(identity, kms);
  } finally {
    kms.close();
  }
}

export function connectorOptions(command: Command): Command {
  return command
    .option('--config <file>', 'connector.json of the connector (gives its base URL and data dir)')
    .option('--data-dir <dir>', 'connector data directory (default: from --config, else $SOVC_DATA_DIR)')
    .option('--base-url <url>', 'public base URL the DID is derived from (default: from --config)')
    .option('--keystore <path>', 'keystore file (default: <data dir>/keystore.sealed)')
    .option('--passphrase-file <path>', 'passphrase file, if SOVC_KEYSTORE_PASSPHRASE is unset (default: <data dir>/secrets/keystore-passphrase)');
}

export function didShow(location: ConnectorLocation, io: CliIo): Promise<void> {
  return withConnectorIdentity(location, io, async (identity) => io.out(JSON.stringify(identity.didDocument(), null, 2)));
}

export function register(program: Command): void {
  const did = program.command('did').description('The connector\'s did:web identifier and DID document');
  connectorOptions(did.command('show').description('Print the DID document served at /.well-known/did.json'))
    .action((options: ConnectorLocation) => didShow(options, processIo));
}
