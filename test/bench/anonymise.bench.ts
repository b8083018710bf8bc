/**
 * Anonymisation benchmark (issue 8): 1,000,000 generated hospital episodes, 6 quasi-identifiers
 * (age, sex, ethnicity, postcode district, admission month, length of stay), k = 10, l = 3.
 * The run happens in a child process so its peak memory (maxRSS) is measured alone; pseudonyms
 * use the kms keyed hasher (BLAKE2b via sodium-native), as in production.
 * Targets: under 60 s and under 1 GB.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hospitalEpisodes, DEFAULT_SEED } from '../../scripts/generate-sample-data.js';
import { anonymiseFile, csvRecord, parseDeclaration, type AnonymisationReport } from '../../src/anonymise/index.js';
import { SimulatedClock } from '../../src/clock/index.js';
import { unwrap } from '../../src/errors/index.js';
import { createFileKms, MINIMUM_KDF_PARAMS } from '../../src/kms/index.js';

const ROWS = Number(process.env.ANON_BENCH_ROWS ?? 1_000_000);
const CHILD_FLAG = '--anonymise-bench-child';
const TARGET_SECONDS = 60;
const TARGET_BYTES = 1024 ** 3;

function generate(path: string): void {
  const fd = openSync(path, 'w');
  let text = '';
  for (const record of hospitalEpisodes(ROWS, DEFAULT_SEED)) {
    text += csvRecord(record);
    if (text.length > 1 << 20) {
      writeSync(fd, text);
      text = '';
    }
  }
  writeSync(fd, text);
  closeSync(fd);
}

async function child(input: string, output: string, dir: string): Promise<void> {
  const kms = unwrap(await createFileKms({ path: join(dir, 'keystore.sealed'), passphrase: 'bench passphrase', clock: new SimulatedClock(), kdf: MINIMUM_KDF_PARAMS }));
  const keyedHash = await kms.keyedHasher('pseudonym:bench-agreement');
  const raw = JSON.parse(readFileSync(new URL('../../connectors/uk/data/hospital-episodes.anonymisation.json', import.meta.url), 'utf8')) as {
    columns: Array<Record<string, unknown>>;
    model: unknown;
  };
  raw.columns = raw.columns.map((c) => (c.name === 'length_of_stay' ? { name: c.name, role: 'quasi', hierarchy: { type: 'numeric', widths: [1, 7, 14, 28] } } : c));
  raw.model = { k: 10, l: 3, maxSuppression: 0.01 };
  const declaration = unwrap(parseDeclaration(raw));
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const report = unwrap(
    await anonymiseFile({ declaration, input, output, keyedHash }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  process.stdout.write(JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssBytes: process.resourceUsage().maxRSS * 1024, report }));
}

export default async function bench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'anon-bench-'));
  const input = join(dir, 'episodes.csv');
  const t0 = performance.now();
  generate(input);
  console.log(`generated ${ROWS.toLocaleString('en')} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const tsx = import.meta.resolve('tsx');
  const run = spawnSync(process.execPath, ['--import', tsx, fileURLToPath(import.meta.url), CHILD_FLAG, input, join(dir, 'out.csv'), dir], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  rmSync(dir, { recursive: true, force: true });
  if (run.status !== 0) throw new Error(`benchmark child failed: ${run.stderr}`);
  const { seconds, cpuSeconds, maxRssBytes, report } = JSON.parse(run.stdout) as { seconds: number; cpuSeconds: number; maxRssBytes: number; report: AnonymisationReport };
  console.log(`anonymised ${report.rows.in.toLocaleString('en')} rows, 6 QIs, k=10 l=3 in ${seconds.toFixed(1)} s: ${Math.round(report.rows.in / seconds).toLocaleString('en')} rows/s (ratio to 60 s target: ${(seconds / TARGET_SECONDS).toFixed(2)}; CPU ${cpuSeconds.toFixed(1)} s, wall time depends on machine load)`);
  console.log(`peak memory (maxRSS of the run): ${(maxRssBytes / 1024 ** 2).toFixed(0)} MiB (ratio to 1 GiB target: ${(maxRssBytes / TARGET_BYTES).toFixed(2)})`);
  console.log(`achieved k=${report.achieved.k} l=${report.achieved.l ?? '-'}, ${report.achieved.equivalenceClasses.toLocaleString('en')} classes, suppressed ${report.rows.suppressed} (${(report.rows.suppressionRate * 100).toFixed(2)} %)`);
  console.log(`information loss NCP=${report.informationLoss.ncp.toFixed(4)} by column ${JSON.stringify(report.informationLoss.byColumn)}`);
}

if (process.argv[2] === CHILD_FLAG) await child(process.argv[3] as string, process.argv[4] as string, process.argv[5] as string);
