/**
 * Data-plane transfer bench, part 2 (issue 7 "Benchmark"): peak RSS of the provider and the
 * consumer, each a whole connector in its own child process, moving 200 MB and 2 GB (target
 * < 150 MB each, flat as size grows), three runs per size, medians. The provider's peak
 * includes its one-off `dataset add` of the same size. Each side prints its RSS idle (before
 * the transfer) and, sampled while it works, where the memory is: V8 heap (used / reserved),
 * external memory and array buffers.
 *
 * The children run as a deployed connector should (`npm run build`, then
 * `node --max-semi-space-size=1 dist/cli/main.js start`): compiled JavaScript, not tsx, whose
 * loader thread, esbuild and source maps hold ~50 MB; and a young generation capped at 1 MiB
 * per semi-space. Node's default lets it grow to 2 x 16 MiB, reserved and touched, which a
 * connector does not need: pull and add rates with and without the cap were the same within
 * this shared machine's noise. `npm start` still runs tsx with Node's defaults.
 * `SOVC_DPT_NODE_FLAGS` replaces the flags, e.g. `SOVC_DPT_NODE_FLAGS=` for Node's defaults.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import type { ConsumerReport, Memory, ProviderReady, ProviderReport } from '../dataplane/transfer/bench-children.js';
import { compileBenchChildren } from '../dataplane/transfer/bench-compile.js';

const MB = 1024 * 1024;
const RSS_TARGET_MB = 150;
const RUNS = 3;
export const CONNECTOR_NODE_FLAGS = ['--max-semi-space-size=1'];

function nodeFlags(): string[] {
  const chosen = process.env['SOVC_DPT_NODE_FLAGS'];
  return chosen === undefined ? CONNECTOR_NODE_FLAGS : chosen.split(' ').filter((flag) => flag !== '');
}

function childOf(entry: string, role: 'provider' | 'consumer', env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [...nodeFlags(), entry], { env: { ...process.env, ...env, SOVC_DPT_ROLE: role }, stdio: ['pipe', 'pipe', 'inherit'] });
}

async function* lines(child: ChildProcess): AsyncGenerator<string> {
  let buffer = '';
  for await (const piece of child.stdout!) {
    buffer += String(piece);
    let at: number;
    while ((at = buffer.indexOf('\n')) >= 0) {
      yield buffer.slice(0, at);
      buffer = buffer.slice(at + 1);
    }
  }
}

async function jsonLine<T>(iterator: AsyncIterator<string>): Promise<T> {
  for (;;) {
    const next = await iterator.next();
    if (next.done === true) throw new Error('child ended without its report');
    if (next.value.startsWith('{')) return JSON.parse(next.value) as T;
  }
}

interface RssRun {
  ready: ProviderReady;
  provider: ProviderReport;
  consumer: ConsumerReport;
  load: number[];
}

async function peakRss(entry: string, bytes: number): Promise<RssRun> {
  const provider = childOf(entry, 'provider', { SOVC_DPT_BYTES: String(bytes) });
  const fromProvider = lines(provider);
  const ready = await jsonLine<ProviderReady>(fromProvider);
  const consumer = childOf(entry, 'consumer', { SOVC_DPT_READY: JSON.stringify(ready) });
  const report = await jsonLine<ConsumerReport>(lines(consumer));
  provider.stdin!.end('report\n');
  return { ready, provider: await jsonLine<ProviderReport>(fromProvider), consumer: report, load: loadavg() };
}

const mb = (x: number) => x.toFixed(0);
const loadOf = (load: number[]) => `load ${load.map((x) => x.toFixed(1)).join(' ')}`;
const breakdown = (m: Memory) => `rss ${mb(m.rss)}, V8 heap ${mb(m.heapUsed)} used / ${mb(m.heapTotal)} reserved, external ${mb(m.external)} (array buffers ${mb(m.arrayBuffers)})`;

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number;
const worse = (run: RssRun) => Math.max(run.provider.maxRssMB, run.consumer.maxRssMB);

/** Median peaks of the runs of one size, and the breakdown of its median run. */
function summary(runs: RssRun[]) {
  const middle = [...runs].sort((a, b) => worse(a) - worse(b))[Math.floor(runs.length / 2)] as RssRun;
  return { provider: median(runs.map((r) => r.provider.maxRssMB)), consumer: median(runs.map((r) => r.consumer.maxRssMB)), middle };
}

function print(small: RssRun[], large: RssRun[]): void {
  console.log(`children: compiled JavaScript, node ${nodeFlags().join(' ') || '(default flags)'}; ${small.length} runs per size, medians`);
  console.log(`idle provider (registrars + connector, started):       ${breakdown(small[0]!.ready.idle)}`);
  console.log(`idle consumer (connector, started, agreement reached): ${breakdown(small[0]!.consumer.idle)}`);
  const sizes = [['200 MB', small], ['2 GB', large]] as const;
  for (const [label, runs] of sizes) {
    const { provider, consumer, middle } = summary(runs);
    const each = runs.map((r) => `${mb(r.provider.maxRssMB)}/${mb(r.consumer.maxRssMB)}`).join(', ');
    console.log(`moving ${label}: peak RSS provider ${mb(provider)} MB, consumer ${mb(consumer)} MB (runs provider/consumer ${each}; pull ${runs.map((r) => mb(r.consumer.mbps)).join(', ')} MB/s)`);
    console.log(`  median run (${loadOf(middle.load)}):`);
    console.log(`  provider adding  (sampled maxima): ${breakdown(middle.ready.add)}`);
    console.log(`  provider serving (sampled maxima): ${breakdown(middle.provider.serve)}`);
    console.log(`  consumer pulling (sampled maxima): ${breakdown(middle.consumer.pull)}`);
  }
  const [s, l] = [summary(small), summary(large)];
  const worst = Math.max(l.provider, l.consumer);
  const flat = (a: number, b: number) => (b / a).toFixed(2);
  console.log(`target < ${RSS_TARGET_MB} MB each: ${worst < RSS_TARGET_MB ? 'met' : 'NOT met'}; 2 GB / 200 MB: provider ${flat(s.provider, l.provider)}, consumer ${flat(s.consumer, l.consumer)} (1.00 = flat)`);
}

export default async function bench(): Promise<void> {
  const compiled = compileBenchChildren();
  try {
    const small: RssRun[] = [];
    const large: RssRun[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      small.push(await peakRss(compiled.entry, 200 * MB));
      large.push(await peakRss(compiled.entry, 2048 * MB));
    }
    print(small, large);
  } finally {
    await rm(compiled.dir, { recursive: true, force: true });
  }
}
