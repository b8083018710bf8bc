/**
 * Scenario (e): a time-limited agreement is refused after it expires. Time cannot be moved in
 * the running federation without a back door, so this scenario starts its own UK–EU pair
 * (`startFederation` with a SimulatedClock, throw-away data folders and ports, its own
 * registrars and sample offerings) and drives it through the same management API steps: the
 * EU agrees to the UK's 30-day offer and receives the data, the clock moves 31 days, and a new
 * transfer under the same agreement is refused. The pair is stopped and its folders removed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedClock } from '../../clock/index.js';
import { DomainError } from '../../errors/index.js';
import type { Logger } from '../../http/index.js';
import type { KdfParams } from '../../kms/index.js';
import { startFederation } from '../start-federation.js';
import { transferAndKeep, type TransferOutcome } from './exchange-steps.js';
import { partnerApi } from './partner-api.js';
import { permittedExchange, SAMPLES, type ScenarioOutcome } from './scenarios.js';

const DAY_MS = 86_400_000;
/** connectors/uk/offerings.json: the time-limited sample lasts 30 days. */
const LICENCE_DAYS = 30;

export interface ExpiryOutcome extends ScenarioOutcome {
  /** The transfer asked for once the agreement had expired. */
  afterExpiry?: TransferOutcome;
}

export interface ExpiryScenarioOptions {
  logger: Logger;
  outDir: string;
  /** Argon2id cost of the pair's throw-away keystores. */
  kdf?: KdfParams;
  /** Project root holding connectors/ (default: this checkout). */
  root?: string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

async function pairOverrides(dir: string) {
  const overrides: Record<string, { port: number; registrar: { port: number }; dataDir: string; logLevel: 'silent' }> = {};
  for (const code of ['uk', 'eu']) overrides[code] = { port: await freePort(), registrar: { port: await freePort() }, dataDir: join(dir, code), logLevel: 'silent' };
  return overrides;
}

export async function runExpiryScenario(options: ExpiryScenarioOptions): Promise<ExpiryOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'sovc-demo-expiry-'));
  const clock = new SimulatedClock(Date.now());
  const started = await startFederation({
    partners: ['uk', 'eu'],
    logger: options.logger,
    env: {},
    clock,
    overrides: await pairOverrides(dir),
    // The provider refuses the expired agreement with a 403 policy refusal, which delivery
    // treats as permanent: the consumer terminates the transfer at once with the reason.
    connectorOptions: { sqliteSynchronous: 'normal' },
    ...(options.root === undefined ? {} : { root: options.root }),
    ...(options.kdf === undefined ? {} : { kdf: options.kdf }),
  });
  if (!started.ok) {
    rmSync(dir, { recursive: true, force: true });
    throw new DomainError(started);
  }
  const pair = started.value;
  try {
    const apis = new Map(pair.members.map((m) => [m.code, partnerApi({ code: m.code, url: m.url, adminToken: m.secrets.adminToken.reveal() })]));
    const base = { key: 'e', title: 'A time-limited agreement is refused after it expires', expected: 'refused', consumer: 'eu', provider: 'uk', datasetId: SAMPLES.ukTimeLimited } as const;
    const began = Date.now();
    const before = await permittedExchange({ apis, outDir: options.outDir }, base);
    const notes = [`run in this process on its own UK–EU pair with a simulated clock (throw-away folders), moved ${LICENCE_DAYS + 1} days after the agreement`];
    if (!before.passed || before.negotiation?.agreementId === undefined) return { ...before, passed: false, notes: [...notes, 'the agreement or its first transfer did not complete'] };
    clock.advance((LICENCE_DAYS + 1) * DAY_MS);
    const afterExpiry = await transferAndKeep(apis.get('eu')!, before.negotiation.agreementId, options.outDir, 'eu-from-uk-after-expiry.csv');
    const refusedByPolicy = afterExpiry.state !== 'COMPLETED' && JSON.stringify(afterExpiry.refusal ?? {}).includes('SOV_TRANSFER_POLICY_REFUSED');
    return { ...before, passed: refusedByPolicy, afterExpiry, notes, ms: Date.now() - began };
  } finally {
    await pair.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
