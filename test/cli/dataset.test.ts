/**
 * `sovc dataset add|export|shred|list --partner uk` both ways: while the uk connector runs
 * (started in this test process on a free port), through its management API — the admin
 * acting is the API token, the upload a streamed body; once it is stopped, on the connector
 * opened by the command itself. The listing is the same table either way. Refusals carry the
 * catalogue code; an export that fails or is cut mid-stream leaves neither FILE nor FILE.partial.
 */
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { register as registerDataset } from '../../src/cli/commands/dataset.js';
import type { PartnerIo } from '../../src/cli/partner-connector.js';
import type { Connector } from '../../src/connector/index.js';
import { DomainError, unwrap } from '../../src/errors/index.js';
import { testConnector } from '../support/partners.js';

const ADMIN = 'admin-token-for-uk-tests';
const RESEARCHER = 'researcher-token-for-uk-tests';

let uk: Connector;
let running = false;
let dataDir: string;
let offeringId: string;
const work = mkdtempSync(join(tmpdir(), 'sovc-dataset-cli-'));
// Several 64 KiB chunks, so a damaged last chunk fails after the first bytes went out.
const csv = Buffer.from(Array.from({ length: 12_000 }, (_, i) => `ward-${i % 40},${i},${(i * 7) % 101}\n`).join(''));
const file = join(work, 'beds.csv');
writeFileSync(file, csv);

/** `sovc <args>` as the uk admin (or `token`), with uk's data folder and port; what it printed. */
async function sovc(args: string[], token = ADMIN): Promise<string> {
  const printed: string[] = [];
  const io: PartnerIo = {
    env: {
      SOVC_DATA_DIR: dataDir,
      SOVC_PORT: String(uk.config.port),
      SOVC_LOG_LEVEL: 'silent',
      SOVC_KEYSTORE_PASSPHRASE: 'test passphrase for uk',
      SOVC_ADMIN_TOKEN: token,
      SOVC_RESEARCHER_TOKEN: RESEARCHER,
    },
    out: (text) => printed.push(text),
  };
  const program = new Command('sovc').exitOverride();
  registerDataset(program, io);
  await program.parseAsync(['node', 'sovc', 'dataset', ...args, '--partner', 'uk']);
  return printed.join('\n');
}

async function refusal(args: string[], token = ADMIN): Promise<{ code: string; detail: string }> {
  const error = await sovc(args, token).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(DomainError);
  return (error as DomainError).failure;
}

const json = async <T>(args: string[]) => JSON.parse(await sovc([...args, '--json'])) as T;
const leftovers = () => readdirSync(work).filter((name) => name.startsWith('out-'));

/** Flips one byte in the last chunk of a stored container (ciphertext at rest damaged). */
function damage(datasetId: string): void {
  const path = join(dataDir, 'ciphertext', 'objects', datasetId);
  const handle = openSync(path, 'r+');
  const size = statSync(path).size;
  const byte = Buffer.alloc(1);
  readSync(handle, byte, 0, 1, size - 200);
  writeSync(handle, Buffer.from([byte[0]! ^ 0xff]), 0, 1, size - 200);
  closeSync(handle);
}

type View = { id: string; version: string; status: string; origin: string; offeringId: string };

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sovc-uk-cli-'));
  uk = await testConnector('uk', { dataDir });
  unwrap(await uk.start());
  running = true;
  const offering = unwrap(
    await uk.dsp.offerings.create({
      title: 'Bed occupancy',
      policy: { template: 'coalition-open', params: {} },
      classification: 'OFFICIAL',
      personalData: false,
      dataSource: { type: 'file', reference: 'data/beds.csv' },
    }),
  );
  offeringId = offering.id;
});
afterAll(async () => {
  if (running) await uk.stop();
});

describe('sovc dataset', () => {
  let listedRunning: string;
  let damaged: string;

  it('works on the running connector through its management API', async () => {
    const table = await sovc(['add', file, '--offering', offeringId]);
    expect(table.split('\n')[0]).toMatch(/^ID\s+OFFERING\s+VERSION\s+ORIGIN\s+KEY\s+BYTES\s+STATUS\s+DIGEST$/);
    expect(table).toMatch(new RegExp(`${offeringId}\\s+1\\s+local\\s+kms`));
    const second = await json<View>(['add', file, '--offering', offeringId]);
    expect(second).toMatchObject({ version: '2', origin: 'local', status: 'ready', keyStored: true });
    // Through the API: the acting admin is the API token, not this process.
    const added = (await uk.audit.tail(50)).filter((entry) => entry.type === 'dataset.added');
    expect(added.map((entry) => entry.actor)).toEqual([expect.stringMatching(/^admin:admin-/), expect.stringMatching(/^admin:admin-/)]);

    const { items } = await json<{ items: View[] }>(['list']);
    const first = items.find((view) => view.version === '1') as View;
    const out = join(work, 'out-running.csv');
    expect(await sovc(['export', first.id, '--out', out])).toBe(`verified and written: ${out} (${csv.length} bytes)`);
    expect(readFileSync(out).equals(csv)).toBe(true);
    expect(leftovers()).toEqual(['out-running.csv']);

    expect(await json<View>(['shred', second.id])).toMatchObject({ id: second.id, status: 'shredded', keyStored: false });
    expect(await refusal(['export', second.id, '--out', join(work, 'out-shredded.csv')])).toMatchObject({ code: 'SOV_DATAPLANE_DATASET_SHREDDED' });

    damaged = (await json<View>(['add', file, '--offering', offeringId])).id;
    damage(damaged);
    expect(await refusal(['export', damaged, '--out', join(work, 'out-damaged.csv')])).toMatchObject({ code: 'SOV_DATAPLANE_PULL_INTERRUPTED' });
    expect(leftovers()).toEqual(['out-running.csv']);
    listedRunning = await sovc(['list']);
    expect(listedRunning.split('\n')).toHaveLength(2 + 3);
  }, 30_000);

  it('refuses, through the API, an unknown offering, a researcher token and a file of unknown length', async () => {
    const big = join(work, 'big.bin');
    writeFileSync(big, Buffer.alloc(4 * 1024 * 1024, 1));
    expect(await refusal(['add', big, '--offering', 'https://example.org/no-such-offering'])).toMatchObject({ code: 'SOV_OFFERING_NOT_FOUND' });
    expect(await refusal(['add', file, '--offering', offeringId], RESEARCHER)).toMatchObject({ code: 'SOV_FORBIDDEN' });
    expect(await refusal(['list'], 'not-a-valid-token-at-all')).toMatchObject({ code: 'SOV_UNAUTHORIZED' });
    expect(await refusal(['add', '/dev/null', '--offering', offeringId])).toMatchObject({ code: 'SOV_BAD_REQUEST', detail: expect.stringContaining('not a regular file') as unknown });
    expect((await uk.dataPlane.datasets.list()).map((record) => record.version).sort()).toEqual(['1', '2', '3']);
  }, 30_000);

  it('opens the stopped connector in this process, with the same output', async () => {
    await uk.stop();
    running = false;
    expect(await sovc(['list'])).toBe(listedRunning);
    const table = await sovc(['add', file, '--offering', offeringId]);
    expect(table).toMatch(new RegExp(`${offeringId}\\s+4\\s+local\\s+kms`));
    const { items } = await json<{ items: View[] }>(['list']);
    const fourth = items.find((view) => view.version === '4') as View;
    const out = join(work, 'out-here.csv');
    expect(await sovc(['export', fourth.id, '--out', out])).toBe(`verified and written: ${out} (${csv.length} bytes)`);
    expect(readFileSync(out).equals(csv)).toBe(true);
    expect(await refusal(['export', damaged, '--out', join(work, 'out-damaged-here.csv')])).toMatchObject({ code: expect.stringMatching(/^SOV_DATAPLANE_/) as unknown });
    expect(leftovers().sort()).toEqual(['out-here.csv', 'out-running.csv']);
    expect(await json<View>(['shred', fourth.id])).toMatchObject({ status: 'shredded' });
    expect(await refusal(['add', file, '--offering', 'https://example.org/no-such-offering'])).toMatchObject({ code: 'SOV_OFFERING_NOT_FOUND' });
  }, 30_000);
});
