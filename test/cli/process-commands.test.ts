/**
 * `sovc negotiations list|show|terminate` and `sovc transfers list|show|suspend|resume|terminate`
 * against running connectors (uk provider, eu consumer) over loopback: a table or field list by
 * default, the management API's record with `--json`, the resulting state visible through the
 * management API of both sides afterwards, and an unknown id refused with the problem's code and
 * detail (which the real `sovc` prints on one line before exiting 1).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { register as registerNegotiations } from '../../src/cli/commands/negotiations.js';
import { register as registerTransfers } from '../../src/cli/commands/transfers.js';
import type { CliIo } from '../../src/cli/management-client.js';
import { PROJECT_ROOT } from '../../src/config/index.js';
import { DomainError, unwrap } from '../../src/errors/index.js';
import type { ContractNegotiation, TargetedOffer } from '../../src/negotiation/index.js';
import type { TransferProcess } from '../../src/transfer/index.js';
import { bothSides, dspFederation, finalized, offerDataset, type Federation, type Node } from '../e2e/dsp-support.js';

let federation: Federation;
let uk: Node;
let eu: Node;
let offer: TargetedOffer;
let ukUrl: string;
let euUrl: string;

const UK = 'admin-token-for-uk-tests';
const EU = 'admin-token-for-eu-tests';

/** Runs `sovc <args>` in-process with the given admin token; returns what it printed. */
async function sovc(token: string, ...args: string[]): Promise<string> {
  const printed: string[] = [];
  const io: CliIo = { env: { SOVC_ADMIN_TOKEN: token }, out: (text) => printed.push(text) };
  const program = new Command('sovc').exitOverride();
  for (const register of [registerNegotiations, registerTransfers]) register(program, io);
  await program.parseAsync(['node', 'sovc', ...args]);
  return printed.join('\n');
}

/** `sovc <args>` expected to fail: the DomainError it threw. */
async function refused(token: string, ...args: string[]): Promise<DomainError> {
  const error = await sovc(token, ...args).then(
    (out) => new Error(`sovc ${args.join(' ')} succeeded: ${out}`),
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof DomainError)) throw error;
  return error;
}

/** GET on a connector's management API, as an admin. */
async function api<T>(base: string, token: string, path: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${base}/api${path}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
  return { status: response.status, body: (await response.json()) as T };
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

beforeAll(async () => {
  federation = await dspFederation(['uk', 'eu']);
  uk = federation.node('uk');
  eu = federation.node('eu');
  ukUrl = uk.connector.config.publicBaseUrl;
  euUrl = eu.connector.config.publicBaseUrl;
  offer = await offerDataset(uk, 'coalition-open');
});
afterAll(async () => federation.stopAll());

describe('sovc negotiations list, show and terminate', () => {
  it('lists and shows negotiations as tables, and as the API records with --json', async () => {
    const sides = await finalized(federation, eu, uk, offer);
    const id = sides.consumer.id;

    const table = await sovc(EU, 'negotiations', 'list', '--url', euUrl);
    expect(table.split('\n')[0]).toMatch(/^ID\s+ROLE\s+STATE\s+COUNTERPARTY\s+DATASET\s+UPDATED$/);
    expect(table).toMatch(new RegExp(`^${escaped(id)}\\s+consumer\\s+FINALIZED\\s+${escaped(uk.connector.did)}\\s+${escaped(offer.target)}\\s`, 'm'));

    const listed = JSON.parse(await sovc(EU, 'negotiations', 'list', '--url', euUrl, '--json')) as { items: ContractNegotiation[] };
    const fromApi = await api<{ items: ContractNegotiation[] }>(euUrl, EU, '/negotiations');
    expect(listed.items.find((n) => n.id === id)).toEqual(fromApi.body.items.find((n) => n.id === id));
    expect(listed.items.find((n) => n.id === id)).toMatchObject({ role: 'consumer', state: 'FINALIZED', providerPid: sides.provider.id });
    const terminatedOnly = JSON.parse(await sovc(EU, 'negotiations', 'list', '--url', euUrl, '--json', '--state', 'TERMINATED')) as { items: ContractNegotiation[] };
    expect(terminatedOnly.items.map((n) => n.id)).not.toContain(id);

    const shown = await sovc(EU, 'negotiations', 'show', id, '--url', euUrl);
    expect(shown.split('\n')[0]).toMatch(/^FIELD\s+VALUE$/);
    expect(shown).toMatch(new RegExp(`^id\\s+${escaped(id)}$`, 'm'));
    expect(shown).toMatch(/^state\s+FINALIZED$/m);
    expect(shown).toMatch(new RegExp(`^agreement\\s+${escaped(sides.consumer.agreement?.['@id'] ?? '-')}$`, 'm'));
    const onProvider = await sovc(UK, 'negotiations', 'show', sides.provider.id, '--url', ukUrl);
    expect(onProvider).toMatch(/^role\s+provider$/m);
    expect(onProvider).toMatch(/^decision\s+permitted at /m);

    const shownJson = JSON.parse(await sovc(EU, 'negotiations', 'show', id, '--url', euUrl, '--json')) as ContractNegotiation;
    expect(shownJson).toEqual((await api<ContractNegotiation>(euUrl, EU, `/negotiations/${encodeURIComponent(id)}`)).body);
  });

  it('terminates as the consumer (text) and as the provider (--json); both sides end TERMINATED', async () => {
    // Consumer in AGREED, its verification not yet sent.
    const first = unwrap(await eu.connector.dsp.negotiations.start({ offer, provider: { did: uk.connector.did } }));
    await federation.step(eu);
    await federation.step(uk);
    expect((await eu.connector.dsp.negotiations.get(first.id))?.state).toBe('AGREED');
    const text = await sovc(EU, 'negotiations', 'terminate', first.id, '--url', euUrl, '--code', 'CHANGED_MIND', '--reason', 'budget cut');
    expect(text).toMatch(new RegExp(`^id\\s+${escaped(first.id)}$`, 'm'));
    expect(text).toMatch(/^terminated by\s+consumer CHANGED_MIND \["budget cut"\]$/m);

    // Provider in REQUESTED, its agreement not yet sent.
    const second = unwrap(await eu.connector.dsp.negotiations.start({ offer, provider: { did: uk.connector.did } }));
    await federation.step(eu);
    const providerPid = (await eu.connector.dsp.negotiations.get(second.id))?.providerPid ?? '-';
    const json = JSON.parse(await sovc(UK, 'negotiations', 'terminate', providerPid, '--url', ukUrl, '--json', '--code', 'NOT_NOW')) as ContractNegotiation;
    expect(json).toMatchObject({ id: providerPid, role: 'provider', termination: { by: 'provider', code: 'NOT_NOW' } });

    await federation.settle();
    for (const [consumerPid, by, code] of [[first.id, 'consumer', 'CHANGED_MIND'], [second.id, 'provider', 'NOT_NOW']] as const) {
      const sides = await bothSides(eu, uk, consumerPid);
      const onEu = await api<ContractNegotiation>(euUrl, EU, `/negotiations/${encodeURIComponent(consumerPid)}`);
      const onUk = await api<ContractNegotiation>(ukUrl, UK, `/negotiations/${encodeURIComponent(sides.provider.id)}`);
      expect([onEu.body.state, onUk.body.state]).toEqual(['TERMINATED', 'TERMINATED']);
      expect([onEu.body.termination, onUk.body.termination]).toEqual([expect.objectContaining({ by, code }), expect.objectContaining({ by, code })]);
    }
    expect(await sovc(EU, 'negotiations', 'list', '--url', euUrl, '--state', 'TERMINATED')).toMatch(new RegExp(`^${escaped(first.id)}\\s+consumer\\s+TERMINATED`, 'm'));
  });
});

describe('sovc transfers list, show, suspend, resume and terminate', () => {
  it('lists and shows transfers, suspends (provider), resumes (consumer, --json) and terminates (consumer)', async () => {
    const { provider: negotiated } = await finalized(federation, eu, uk, offer);
    const agreementId = negotiated.agreement?.['@id'] as string;
    const requested = unwrap(await eu.connector.dsp.transfers.start({ agreementId, format: 'HttpData-PULL' }));
    await federation.settle();
    const id = requested.id;
    const providerPid = (await eu.connector.dsp.transfers.get(id))?.providerPid as string;
    const states = async () => [
      (await api<TransferProcess>(euUrl, EU, `/transfers/${encodeURIComponent(id)}`)).body.state,
      (await api<TransferProcess>(ukUrl, UK, `/transfers/${encodeURIComponent(providerPid)}`)).body.state,
    ];
    expect(await states()).toEqual(['STARTED', 'STARTED']);

    const table = await sovc(EU, 'transfers', 'list', '--url', euUrl);
    expect(table.split('\n')[0]).toMatch(/^ID\s+ROLE\s+STATE\s+AGREEMENT\s+FORMAT\s+COUNTERPARTY\s+UPDATED$/);
    expect(table).toMatch(new RegExp(`^${escaped(id)}\\s+consumer\\s+STARTED\\s+${escaped(agreementId)}\\s+HttpData-PULL\\s+${escaped(uk.connector.did)}\\s`, 'm'));
    const listed = JSON.parse(await sovc(UK, 'transfers', 'list', '--url', ukUrl, '--json', '--state', 'STARTED')) as { items: TransferProcess[] };
    expect(listed.items.find((t) => t.id === providerPid)).toMatchObject({ role: 'provider', consumerPid: id, agreementId, state: 'STARTED' });
    const shown = await sovc(EU, 'transfers', 'show', id, '--url', euUrl);
    expect(shown).toMatch(/^state\s+STARTED$/m);
    expect(shown).toMatch(new RegExp(`^agreement\\s+${escaped(agreementId)}$`, 'm'));
    expect(shown).toMatch(/^data address\s+\{.*"endpoint":/m);
    const shownJson = JSON.parse(await sovc(EU, 'transfers', 'show', id, '--url', euUrl, '--json')) as TransferProcess;
    expect(shownJson).toEqual((await api<TransferProcess>(euUrl, EU, `/transfers/${encodeURIComponent(id)}`)).body);

    const suspended = await sovc(UK, 'transfers', 'suspend', providerPid, '--url', ukUrl, '--code', 'MAINTENANCE', '--reason', 'disk swap');
    expect(suspended).toMatch(/^suspended\s+by provider MAINTENANCE \["disk swap"\]$/m);
    await federation.settle();
    expect(await states()).toEqual(['SUSPENDED', 'SUSPENDED']);
    expect(await sovc(EU, 'transfers', 'show', id, '--url', euUrl)).toMatch(/^suspended\s+by provider MAINTENANCE \["disk swap"\]$/m);

    const resumed = JSON.parse(await sovc(EU, 'transfers', 'resume', id, '--url', euUrl, '--json')) as TransferProcess;
    expect(resumed).toMatchObject({ id, role: 'consumer', pending: { message: 'TransferStartMessage' } });
    await federation.settle();
    expect(await states()).toEqual(['STARTED', 'STARTED']);

    const terminated = JSON.parse(await sovc(EU, 'transfers', 'terminate', id, '--url', euUrl, '--json', '--code', 'DONE_EARLY', '--reason', 'enough rows')) as TransferProcess;
    expect(terminated).toMatchObject({ id, termination: { by: 'consumer', code: 'DONE_EARLY', reason: ['enough rows'] } });
    await federation.settle();
    expect(await states()).toEqual(['TERMINATED', 'TERMINATED']);
    const onProvider = await api<TransferProcess>(ukUrl, UK, `/transfers/${encodeURIComponent(providerPid)}`);
    expect(onProvider.body.termination).toMatchObject({ by: 'consumer', code: 'DONE_EARLY', reason: ['enough rows'] });
    expect(await sovc(UK, 'transfers', 'list', '--url', ukUrl, '--state', 'TERMINATED')).toMatch(new RegExp(`^${escaped(providerPid)}\\s+provider\\s+TERMINATED`, 'm'));
  });

  it('terminates (provider, text) a suspended transfer', async () => {
    const { provider: negotiated } = await finalized(federation, eu, uk, offer);
    const requested = unwrap(await eu.connector.dsp.transfers.start({ agreementId: negotiated.agreement?.['@id'] as string, format: 'HttpData-PULL' }));
    await federation.settle();
    const providerPid = (await eu.connector.dsp.transfers.get(requested.id))?.providerPid as string;
    expect(JSON.parse(await sovc(EU, 'transfers', 'suspend', requested.id, '--url', euUrl, '--json'))).toMatchObject({ suspension: { by: 'consumer' } });
    await federation.settle();
    const text = await sovc(UK, 'transfers', 'terminate', providerPid, '--url', ukUrl, '--code', 'ADMIN_STOP');
    expect(text).toMatch(/^terminated\s+by provider ADMIN_STOP \[\]$/m);
    await federation.settle();
    const onEu = await api<TransferProcess>(euUrl, EU, `/transfers/${encodeURIComponent(requested.id)}`);
    expect(onEu.body).toMatchObject({ state: 'TERMINATED', termination: { by: 'provider', code: 'ADMIN_STOP' } });
    expect((await api<TransferProcess>(ukUrl, UK, `/transfers/${encodeURIComponent(providerPid)}`)).body.state).toBe('TERMINATED');
  });
});

describe('sovc process commands refuse an unknown id', () => {
  const unknown = 'urn:uuid:00000000-0000-4000-8000-000000000000';

  it.each([
    [['negotiations', 'show'], 'SOV_NEG_NOT_FOUND'],
    [['negotiations', 'terminate'], 'SOV_NEG_NOT_FOUND'],
    [['transfers', 'show'], 'SOV_TRANSFER_NOT_FOUND'],
    [['transfers', 'suspend'], 'SOV_TRANSFER_NOT_FOUND'],
    [['transfers', 'resume'], 'SOV_TRANSFER_NOT_FOUND'],
    [['transfers', 'terminate'], 'SOV_TRANSFER_NOT_FOUND'],
  ])('sovc %j <unknown> fails with %s naming the id', async (command, code) => {
    const error = await refused(EU, ...command, unknown, '--url', euUrl);
    expect(error.failure).toMatchObject({ code, detail: expect.stringContaining(unknown) as unknown });
    const jsonToo = await refused(EU, ...command, unknown, '--url', euUrl, '--json');
    expect(jsonToo.failure.code).toBe(code);
  });

  it('the sovc executable prints one line naming the id and the code on stderr and exits 1', async () => {
    const run = promisify(execFile);
    for (const [command, message] of [
      [['transfers', 'terminate'], `sovc: No transfer process ${unknown} (SOV_TRANSFER_NOT_FOUND)`],
      [['negotiations', 'show'], `sovc: No contract negotiation ${unknown} (SOV_NEG_NOT_FOUND)`],
    ] as const) {
      const outcome = await run(process.execPath, [join(PROJECT_ROOT, 'bin', 'sovc.js'), ...command, unknown, '--url', euUrl], {
        env: { ...process.env, SOVC_ADMIN_TOKEN: EU },
        timeout: 60_000,
      }).then(
        (done) => ({ code: 0, stdout: done.stdout, stderr: done.stderr }),
        (error: { code?: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
      );
      expect(outcome).toEqual({ code: 1, stdout: '', stderr: `${message}\n` });
    }
  }, 120_000);
});
