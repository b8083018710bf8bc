/**
 * `sovc start [partner…]` (`npm start`): the local coalition — every partner's national
 * registrar and connector on loopback, each with its own keystore, store and data folder —
 * then a table of where to reach them; Ctrl-C (SIGINT) or SIGTERM shuts everything down
 * cleanly. `sovc init <partner>` creates one partner's keys, secrets and DID without serving.
 */
import type { Command } from 'commander';
import { createConnector } from '../../connector/index.js';
import { DomainError, unwrap } from '../../errors/index.js';
import { readTrustDir, startFederation, type Federation } from '../../federation/index.js';
import { createLogger } from '../../http/index.js';
import { loadPartner, partnerCodes } from '../../config/index.js';
import { renderTable } from '../table.js';

function printReady(federation: Federation, began: number): void {
  const rows = federation.members.map((member) => [
    member.code,
    member.connector.did,
    `${member.url}/.well-known/dspace-version`,
    `${member.url}/api`,
    `${member.url}/console`,
    member.secrets.adminToken.where(),
  ]);
  console.log(renderTable(['partner', 'DID', 'DSP endpoint', 'management API', 'console', 'admin token'], rows));
  // performance.now() counts from the process start, so the second figure includes loading the code.
  console.log(`\nready in ${Date.now() - began} ms (${Math.round(performance.now())} ms since the process started) — Ctrl-C stops everything`);
}

async function startAll(codes: string[]): Promise<void> {
  const began = Date.now();
  const logger = createLogger({ level: process.env['SOVC_LOG_LEVEL'] ?? 'warn' });
  const peerRegistrars = unwrap(readTrustDir(process.env['SOVC_TRUST_DIR']));
  const started = await startFederation({ partners: codes, logger, peerRegistrars });
  if (!started.ok) throw new DomainError(started);
  const federation = started.value;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping ${federation.members.length} connector(s) and their registrars…`);
    await federation.stop();
    console.log('stopped cleanly');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  printReady(federation, began);
}

export function register(program: Command): void {
  program
    .command('start')
    .description("start the coalition on loopback: every partner's registrar and connector (default: all partners under connectors/)")
    .argument('[partners...]', 'partner codes, e.g. uk eu')
    .action(async (partners: string[]) => {
      await startAll(partners.length > 0 ? partners : partnerCodes());
    });
  program
    .command('init')
    .description("create a partner's keystore, secrets and DID (idempotent) and print its DID")
    .argument('<partner>', 'partner code, e.g. uk')
    .action(async (code: string) => {
      const connector = unwrap(await createConnector(unwrap(loadPartner(code))));
      console.log(connector.did);
      await connector.stop();
    });
}
