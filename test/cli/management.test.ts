/**
 * `sovc offerings|catalog|negotiations|agreements|transfers` against running connectors
 * (uk provider, eu consumer) over loopback: tables by default, `--json` for scripts, and a
 * refusal surfaces as the problem's detail and code (which `sovc` prints before exiting 1).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { register as registerAgreements } from '../../src/cli/commands/agreements.js';
import { register as registerCatalog } from '../../src/cli/commands/catalog.js';
import { register as registerNegotiations } from '../../src/cli/commands/negotiations.js';
import { register as registerOfferings } from '../../src/cli/commands/offerings.js';
import { register as registerTransfers } from '../../src/cli/commands/transfers.js';
import type { CliIo } from '../../src/cli/management-client.js';
import { DomainError } from '../../src/errors/index.js';
import { dspFederation, type Federation } from '../e2e/dsp-support.js';

let federation: Federation;
let ukUrl: string;
let euUrl: string;
let printed: string[];

/** Runs `sovc <args>` with the given admin token; returns what it printed. */
async function sovc(token: string, ...args: string[]): Promise<string> {
  printed = [];
  const io: CliIo = { env: { SOVC_ADMIN_TOKEN: token }, out: (text) => printed.push(text) };
  const program = new Command('sovc').exitOverride();
  for (const register of [registerOfferings, registerCatalog, registerNegotiations, registerAgreements, registerTransfers]) register(program, io);
  await program.parseAsync(['node', 'sovc', ...args]);
  return printed.join('\n');
}

const UK = 'admin-token-for-uk-tests';
const EU = 'admin-token-for-eu-tests';

beforeAll(async () => {
  federation = await dspFederation(['uk', 'eu']);
  ukUrl = federation.nodes['uk']!.connector.config.publicBaseUrl;
  euUrl = federation.nodes['eu']!.connector.config.publicBaseUrl;
});
afterAll(async () => federation.stopAll());

describe('sovc management commands', () => {
  it('creates, lists, shows, updates and retires an offering; refusals carry the code', async () => {
    const created = JSON.parse(
      await sovc(UK, 'offerings', 'create', '--url', ukUrl, '--json', '--title', 'Admissions', '--template', 'time-limited', '--param', 'days=30', '--classification', 'OFFICIAL', '--no-personal-data', '--source-ref', 'data/admissions.csv', '--keyword', 'health'),
    ) as { id: string; version: number; policy: { source: unknown } };
    expect(created).toMatchObject({ version: 1, policy: { source: { template: 'time-limited', params: { days: 30 } } } });
    const table = await sovc(UK, 'offerings', 'list', '--url', ukUrl);
    expect(table.split('\n')[0]).toMatch(/^ID\s+TITLE\s+CLASSIFICATION\s+POLICY\s+STATUS/);
    expect(table).toContain('Admissions');
    expect(await sovc(UK, 'offerings', 'update', created.id, '--url', ukUrl, '--title', 'Weekly admissions', '--expected-version', '1')).toMatch(/version\s+2/);
    expect(await sovc(UK, 'offerings', 'retire', created.id, '--url', ukUrl)).toMatch(/status\s+retired/);
    const refused = await sovc(UK, 'offerings', 'retire', created.id, '--url', ukUrl).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).failure).toMatchObject({ code: 'SOV_OFFERING_RETIRED', detail: expect.stringContaining(created.id) as unknown });
  });

  it('reads the admin token from --token-file and refuses a wrong one with SOV_UNAUTHORIZED', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sovc-cli-'));
    writeFileSync(join(dir, 'good'), `${UK}\n`, { mode: 0o600 });
    writeFileSync(join(dir, 'bad'), 'not-the-admin-token-at-all', { mode: 0o600 });
    expect(await sovc('', 'offerings', 'list', '--url', ukUrl, '--token-file', join(dir, 'good'), '--json')).toContain('"items"');
    const refused = await sovc('', 'offerings', 'list', '--url', ukUrl, '--token-file', join(dir, 'bad')).catch((error: unknown) => error);
    expect((refused as DomainError).failure.code).toBe('SOV_UNAUTHORIZED');
    const nowhere = await sovc(UK, 'offerings', 'list').catch((error: unknown) => error);
    expect((nowhere as DomainError).failure).toMatchObject({ code: 'SOV_BAD_REQUEST', detail: expect.stringContaining('--partner') as unknown });
  });

  it('fetches a catalogue, negotiates, verifies the agreement and starts a transfer', async () => {
    const offering = JSON.parse(await sovc(UK, 'offerings', 'create', '--url', ukUrl, '--json', '--title', 'Beds', '--template', 'coalition-open', '--classification', 'OFFICIAL', '--no-personal-data', '--source-ref', 'data/beds.csv')) as { id: string; offerId: string };
    const ukDid = federation.nodes['uk']!.connector.did;
    const catalog = await sovc(EU, 'catalog', 'fetch', ukDid, '--url', euUrl);
    expect(catalog).toContain(offering.id);
    expect(catalog).toContain(offering.offerId);

    const started = JSON.parse(await sovc(EU, 'negotiations', 'start', '--url', euUrl, '--json', '--provider', ukDid, '--offer', offering.offerId, '--dataset', offering.id)) as { id: string };
    await federation.settle();
    expect(await sovc(EU, 'negotiations', 'show', started.id, '--url', euUrl)).toMatch(/state\s+FINALIZED/);
    expect(await sovc(EU, 'negotiations', 'list', '--url', euUrl, '--state', 'FINALIZED')).toContain(started.id);

    const agreements = JSON.parse(await sovc(EU, 'agreements', 'list', '--url', euUrl, '--json')) as { items: Array<{ id: string; negotiationId: string }> };
    const agreement = agreements.items.find((a) => a.negotiationId === started.id);
    expect(await sovc(EU, 'agreements', 'verify', agreement!.id, '--url', euUrl)).toContain('both signatures verify');
    expect(await sovc(EU, 'agreements', 'show', agreement!.id, '--url', euUrl)).toContain(offering.id);

    const transfer = JSON.parse(await sovc(EU, 'transfers', 'start', '--url', euUrl, '--json', '--agreement', agreement!.id)) as { id: string };
    await federation.settle();
    expect(await sovc(EU, 'transfers', 'list', '--url', euUrl)).toMatch(new RegExp(`${transfer.id}\\s+consumer\\s+STARTED`));
    expect(await sovc(EU, 'transfers', 'suspend', transfer.id, '--url', euUrl, '--reason', 'maintenance')).toMatch(/state\s+STARTED|state\s+SUSPENDED/);
    await federation.settle();
    expect(await sovc(EU, 'transfers', 'show', transfer.id, '--url', euUrl)).toMatch(/state\s+SUSPENDED/);
    const refused = await sovc(EU, 'transfers', 'resume', 'urn:uuid:unknown', '--url', euUrl).catch((error: unknown) => error);
    expect((refused as DomainError).failure.code).toBe('SOV_TRANSFER_NOT_FOUND');
  });
});
