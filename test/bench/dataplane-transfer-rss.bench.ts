/**
 * Data-plane transfer bench, part 2 (issue 7 "Benchmark"): peak RSS of the provider and the
 * consumer, each a whole connector in its own child process, moving 200 MB and 2 GB (target
 * < 150 MB each, flat as size grows). The provider's peak includes its one-off `dataset add`
 * of the same size. Each side prints its RSS idle (before the transfer) and, sampled while it
 * works, where the memory is: V8 heap (used / reserved), external memory and array buffers.
 *
 * The children run as a deployed connector should: compiled JavaScript (tsc, no tsx: its
 * loader thread, esbuild and source maps hold ~50 MB) with a young generation capped at
 * 1 MiB per semi-space. Node's default lets the young generation grow to 2 x 16 MiB, which a
 * connector moving bytes fills with garbage before any scavenge; nothing in the data path
 * needs it (throughput in dataplane-transfer.bench.ts is unchanged with the cap).
 * `SOVC_DPT_NODE_FLAGS` replaces the flags, e.g. `SOVC_DPT_NODE_FLAGS=` for Node's defaults.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import type { ConsumerReport, Memory, ProviderReady, ProviderReport } from '../dataplane/transfer/bench-children.js';
import { compileBenchChildren } from '../dataplane/transfer/bench-compile.js';

const MB = 1024 * 1024;
const RSS_TARGET_MB = 150;
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

function print(small: RssRun, large: RssRun): void {
  console.log(`children: compiled JavaScript, node ${nodeFlags().join(' ') || '(default flags)'}`);
  console.log(`idle provider (registrars + connector, started):       ${breakdown(small.ready.idle)}`);
  console.log(`idle consumer (connector, started, agreement reached): ${breakdown(small.consumer.idle)}`);
  for (const [label, run] of [['200 MB', small], ['2 GB', large]] as const) {
    console.log(`moving ${label}: peak RSS provider ${mb(run.provider.maxRssMB)} MB, consumer ${mb(run.consumer.maxRssMB)} MB (pull ${mb(run.consumer.mbps)} MB/s; ${loadOf(run.load)})`);
    console.log(`  provider adding  (sampled maxima): ${breakdown(run.ready.add)}`);
    console.log(`  provider serving (sampled maxima): ${breakdown(run.provider.serve)}`);
    console.log(`  consumer pulling (sampled maxima): ${breakdown(run.consumer.pull)}`);
  }
  const worst = Math.max(large.provider.maxRssMB, large.consumer.maxRssMB);
  const flat = (a: number, b: number) => (b / a).toFixed(2);
  console.log(`target < ${RSS_TARGET_MB} MB each: ${worst < RSS_TARGET_MB ? 'met' : 'NOT met'}; 2 GB / 200 MB: provider ${flat(small.provider.maxRssMB, large.provider.maxRssMB)}, consumer ${flat(small.consumer.maxRssMB, large.consumer.maxRssMB)} (1.00 = flat)`);
}

export default async function bench(): Promise<void> {
  const compiled = compileBenchChildren();
  try {
    const small = await peakRss(compiled.entry, 200 * MB);
    const large = await peakRss(compiled.entry, 2048 * MB);
    print(small, large);
  } finally {
    await rm(compiled.dir, { recursive: true, force: true });
  }
}
