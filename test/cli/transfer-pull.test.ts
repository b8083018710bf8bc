/**
 * `sovc transfer pull AGREEMENT --partner eu` both ways, between two real connectors (UK
 * provider, EU consumer): while the EU connector runs, through its management API (transfer
 * started, followed to COMPLETED, progress from the transfer view); once it is stopped, on the
 * connector the command opens itself. The same dataset row and JSON either way; the received
 * bytes are the provider's; a refused pull ends with the refusal's code.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { register as registerTransferPull } from '../../src/cli/commands/transfer-pull.js';
import type { PartnerIo } from '../../src/cli/partner-connector.js';
import { loadPartner, type LoadedPartner } from '../../src/config/index.js';
import { createConnector, type Connector } from '../../src/connector/index.js';
import { DomainError, unwrap } from '../../src/errors/index.js';
import { createLogger } from '../../src/http/index.js';
import { MINIMUM_KDF_PARAMS } from '../../src/kms/index.js';
import { collect, pattern, pieces } from '../dataplane/support.js';
import { agree, dataPlaneFederation, offer, type DataPlaneFederation } from '../dataplane/transfer/federation.js';

const EU_ADMIN = 'admin-token-for-eu-tests';
const data = pattern(300_000, 3);

let federation: DataPlaneFederation;
let containerId: string;
let agreements: string[];

/** The EU's own environment: its port and data folder, as `sovc` on its host would see them. */
function euEnv(): Record<string, string> {
  return {
    SOVC_PORT: String(federation.eu.connector.config.port),
    SOVC_DATA_DIR: federation.eu.dataDir,
    SOVC_LOG_LEVEL: 'silent',
    SOVC_KEYSTORE_PASSPHRASE: 'test passphrase for eu',
    SOVC_ADMIN_TOKEN: EU_ADMIN,
    SOVC_RESEARCHER_TOKEN: 'researcher-token-for-eu-tests',
  };
}

/** The EU connector as this test federation builds it (its clock and trust list, outbox drained by hand). */
async function openEu(partner: LoadedPartner) {
  return createConnector({
    ...partner,
    config: { ...partner.config, trustList: federation.uk.connector.config.trustList },
    kdf: MINIMUM_KDF_PARAMS,
    logger: createLogger({ level: 'silent' }),
    clock: federation.clock,
    dsp: { autoStartWorker: false },
  });
}

/** Runs `sovc transfer pull <agreement> --partner eu [--json]`; between polls every outbox delivers. */
async function pull(agreementId: string, json = false): Promise<{ printed: string; progress: string[] }> {
  const printed: string[] = [];
  const progress: string[] = [];
  let here: Connector | undefined;
  const io: PartnerIo = {
    env: euEnv(),
    out: (text) => printed.push(text),
    progress: { write: (text) => progress.push(text), tty: false },
    openConnector: async (partner) => {
      const opened = await openEu(partner);
      if (opened.ok) here = opened.value;
      return opened;
    },
    pause: async () => {
      await federation.uk.connector.dsp.worker.drain();
      await (here ?? federation.eu.connector).dsp.worker.drain();
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
  const program = new Command('sovc').exitOverride();
  registerTransferPull(program, io);
  await program.parseAsync(['node', 'sovc', 'transfer', 'pull', agreementId, '--partner', 'eu', ...(json ? ['--json'] : [])]);
  return { printed: printed.join('\n'), progress };
}

/** The dataset row without its id (the received dataset's id is each transfer's own). */
const rowWithoutId = (table: string, id: string) => (table.split('\n')[2] ?? '').replace(id, '<id>');

beforeAll(async () => {
  federation = await dataPlaneFederation({ proxies: false, automaticPulls: true });
  const offering = await offer(federation.uk, 'coalition-open');
  containerId = unwrap(await federation.uk.connector.dataPlane.addDataset({ source: pieces(data), offeringId: offering.id, plaintextLength: data.length })).containerId;
  agreements = [await agree(federation, offering), await agree(federation, offering), await agree(federation, offering)];
}, 60_000);
afterAll(() => federation.stopAll());

describe('sovc transfer pull', () => {
  let throughApi: { id: string; row: string };

  it('follows a transfer of the running connector to COMPLETED through its management API', async () => {
    const { printed, progress } = await pull(agreements[0] as string, true);
    const view = JSON.parse(printed) as { id: string; origin: string; plaintextLength: number; keyStored: boolean };
    expect(view).toMatchObject({ origin: 'received', plaintextLength: data.length, keyStored: true, status: 'ready' });
    expect((await federation.eu.connector.dsp.transfers.get(view.id))?.state).toBe('COMPLETED');
    expect((await collect(unwrap(await federation.eu.connector.dataPlane.openDataset(view.id)))).equals(data)).toBe(true);
    // The last figure is the whole container, known once it is stored.
    const container = (await federation.eu.connector.dataPlane.datasets.get(view.id))?.size as number;
    expect(progress.at(-1)).toMatch(new RegExp(`^pulled ${(container / 1024 / 1024).toFixed(1)} MB of ${(container / 1024 / 1024).toFixed(1)} MB \\(100%\\)`));
    const table = (await pull(agreements[1] as string)).printed;
    expect(table.split('\n')[0]).toMatch(/^ID\s+OFFERING\s+VERSION\s+ORIGIN\s+KEY\s+BYTES\s+STATUS\s+DIGEST$/);
    const id = table.split('\n')[2]?.split(/\s+/)[0] as string;
    throughApi = { id, row: rowWithoutId(table, id) };
    expect(throughApi.row).toMatch(/received\s+kms/);
  }, 30_000);

  it('ends with the refusal when the container does not verify', async () => {
    const path = join(federation.uk.dataDir, 'ciphertext', 'objects', containerId);
    const original = readFileSync(path);
    const flipped = Buffer.from(original);
    flipped[original.length - 100] = (flipped[original.length - 100] as number) ^ 0x01;
    writeFileSync(path, flipped);
    try {
      const refused = await pull(agreements[2] as string).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(DomainError);
      expect((refused as DomainError).failure.code).toMatch(/^SOV_DATAPLANE_/);
    } finally {
      writeFileSync(path, original);
    }
  }, 30_000);

  it('opens the stopped connector in this process, with the same dataset row', async () => {
    await federation.eu.connector.stop();
    try {
      const { printed, progress } = await pull(agreements[1] as string);
      const id = printed.split('\n')[2]?.split(/\s+/)[0] as string;
      expect(id).not.toBe(throughApi.id);
      expect(rowWithoutId(printed, id)).toBe(throughApi.row);
      expect(progress.at(-1)).toContain('(100%)');
    } finally {
      // The federation stops its EU connector at the end: give it a running one again.
      federation.eu.connector = unwrap(await openEu(unwrap(loadPartner('eu', { env: euEnv() }))));
      unwrap(await federation.eu.connector.start());
    }
    const reopened = federation.eu.connector;
    const received = await reopened.dataPlane.datasets.list();
    expect(received).toHaveLength(3);
  }, 30_000);
});
