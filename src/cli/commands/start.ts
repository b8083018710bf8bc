/**
 * `sovc start [partner…]`: runs the partners' connectors on loopback in this process, each
 * with its own keystore, store and data directory, prints where to reach them, and shuts
 * them all down cleanly on Ctrl-C (SIGINT) or SIGTERM. `sovc init <partner>` creates a
 * partner's keys, secrets and DID without serving.
 */
import type { Command } from 'commander';
import { createConnector, type Connector } from '../../connector/index.js';
import { DomainError, unwrap } from '../../errors/index.js';
import { loadPartner, partnerCodes } from '../partners.js';
import { renderTable } from '../table.js';

async function openPartner(code: string): Promise<Connector> {
  const partner = unwrap(loadPartner(code));
  return unwrap(await createConnector(partner));
}

async function startAll(codes: string[]): Promise<void> {
  const began = Date.now();
  const running: Connector[] = [];
  const rows: string[][] = [];
  const shutdown = async (signal: string) => {
    console.log(`\n${signal}: stopping ${running.length} connector(s)…`);
    await Promise.allSettled(running.map((connector) => connector.stop()));
    console.log('stopped cleanly');
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  for (const code of codes) {
    const partner = unwrap(loadPartner(code));
    const connector = unwrap(await createConnector(partner));
    running.push(connector);
    const bound = await connector.start();
    if (!bound.ok) {
      await Promise.allSettled(running.map((c) => c.stop()));
      throw new DomainError(bound);
    }
    const base = bound.value.url;
    rows.push([code, connector.did, `${base}/.well-known/dspace-version`, `${base}/api`, partner.secrets.adminToken.where()]);
  }
  console.log(renderTable(['partner', 'DID', 'DSP endpoint', 'management API', 'admin token'], rows));
  console.log(`\nready in ${Date.now() - began} ms — Ctrl-C stops everything`);
}

export function register(program: Command): void {
  program
    .command('start')
    .description('start the partners\' connectors on loopback (default: every partner under connectors/)')
    .argument('[partners...]', 'partner codes, e.g. uk eu')
    .action(async (partners: string[]) => {
      await startAll(partners.length > 0 ? partners : partnerCodes());
    });
  program
    .command('init')
    .description("create a partner's keystore, secrets and DID (idempotent) and print its DID")
    .argument('<partner>', 'partner code, e.g. uk')
    .action(async (code: string) => {
      const connector = await openPartner(code);
      console.log(connector.did);
      await connector.stop();
    });
}
