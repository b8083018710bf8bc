/**
 * `sovc demo` (`npm run demo`): scripted cross-border scenarios against the federation that
 * `npm start` runs, driven as each nation's admin would, through the partners' management
 * APIs with the admin tokens from their data folders (src/federation/demo). Prints each
 * outcome, the time from the demo's start to its first completed transfer, and runs the
 * expiry scenario in this process on its own pair of connectors under a simulated clock.
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { connectorConfigPath, loadConnectorConfig, loadPartner, partnerCodes, PROJECT_ROOT } from '../../config/index.js';
import { DomainError, fail, unwrap } from '../../errors/index.js';
import { partnerApi, renderOutcome, runExpiryScenario, runFederationScenarios, type PartnerApi, type ScenarioOutcome } from '../../federation/demo/index.js';
import { createLogger } from '../../http/index.js';
import { MINIMUM_KDF_PARAMS } from '../../kms/index.js';

/** From `npm start` on an initialised machine to the demo's first completed transfer (issue 9). */
const TARGET_MS = 10_000;

interface DemoOptions {
  out: string;
  expiry: boolean;
}

/** Each running partner's management API; refuses (before touching any secret) when one is down. */
async function runningPartners(codes: string[]): Promise<Map<string, PartnerApi>> {
  const apis = new Map<string, PartnerApi>();
  for (const code of codes) {
    const config = unwrap(loadConnectorConfig({ file: connectorConfigPath(PROJECT_ROOT, code), projectRoot: PROJECT_ROOT }));
    const up = await fetch(`${config.publicBaseUrl}/health`).then((response) => response.ok, () => false);
    if (!up) throw new DomainError(fail('SOV_UPSTREAM_UNAVAILABLE', `the ${code} connector does not answer at ${config.publicBaseUrl}: run \`npm start\` first (in another terminal)`));
    const { secrets } = unwrap(loadPartner(code));
    apis.set(code, partnerApi({ code, url: config.publicBaseUrl, adminToken: secrets.adminToken.reveal() }));
  }
  return apis;
}

async function demo(options: DemoOptions): Promise<void> {
  const began = performance.now();
  const apis = await runningPartners(partnerCodes());
  console.log(`sovc demo: ${apis.size} partners running (${[...apis.keys()].join(', ')}); decrypted datasets go to ${options.out}\n`);
  let firstTransferMs: number | undefined;
  const print = (outcome: ScenarioOutcome) => {
    if (firstTransferMs === undefined && outcome.transfer?.state === 'COMPLETED') firstTransferMs = Math.round(performance.now() - began);
    console.log(`${renderOutcome(outcome)}\n`);
  };
  const outcomes = await runFederationScenarios({ apis, outDir: options.out }, print);
  if (options.expiry) {
    const expiry = await runExpiryScenario({ logger: createLogger({ level: 'silent' }), outDir: options.out, kdf: MINIMUM_KDF_PARAMS });
    console.log(`${renderOutcome(expiry)}\n`);
    outcomes.push(expiry);
  }
  const passed = outcomes.filter((outcome) => outcome.passed).length;
  console.log(`${passed} of ${outcomes.length} scenarios ended as expected; demo took ${Math.round(performance.now() - began)} ms`);
  console.log(
    firstTransferMs === undefined
      ? 'no transfer completed'
      : `demo start → first completed transfer: ${firstTransferMs} ms; add the "ready in" time \`npm start\` printed for the time from start to the first transfer (target < ${TARGET_MS / 1000} s)`,
  );
  if (passed < outcomes.length) process.exitCode = 1;
}

export function register(program: Command): void {
  program
    .command('demo')
    .description('run scripted cross-border scenarios against the running federation (start it with `npm start`)')
    .option('--out <dir>', 'where received datasets are written, decrypted', join(PROJECT_ROOT, '.data', 'demo-received'))
    .option('--no-expiry', 'skip the expiry scenario (it starts its own UK–EU pair under a simulated clock)')
    .action((options: DemoOptions) => demo(options));
}
