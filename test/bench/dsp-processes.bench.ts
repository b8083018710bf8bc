/**
 * Full negotiations per second (request → FINALIZED on both sides) between two connectors in
 * two processes, as two partners run them, measured two ways: a burst of 200 started at once
 * (until all are finished), and 200 kept in flight for a window (the sustained rate, which the
 * 200/s target is read against: a burst also holds the pipeline filling and draining, when
 * one side mostly waits for the other). This process is the consumer (EU),
 * test/bench/dsp-processes.ts the provider (UK). Everything of dsp.bench.ts is included —
 * durable SQLite store (`synchronous: full`), caller tokens, membership, signatures, policy,
 * audit, outbox — but each connector has its own event loop, and the outbox workers run by
 * themselves instead of the bench draining them in turn. dsp.bench.ts measures the same work
 * with both connectors in one process (one event loop, the sum of both sides' CPU).
 *
 * Printed per round: the rate, and the CPU time per negotiation of each side (each process's
 * own user + system time, so `1000 / max(side)` is the rate with one free core per side), and
 * the load average: on a shared 2-core machine another process's load takes cores away.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../../src/clock/index.js';
import type { Connector } from '../../src/connector/index.js';
import { unwrap } from '../../src/errors/index.js';
import { build } from '../e2e/dsp-support.js';
import { cpuMicros, type ProviderReady } from './dsp-processes.js';

const TARGET = 200;
const COUNT = 200;
/**
 * Untimed rounds before the measured ones. A connector's CPU per negotiation keeps falling over
 * its first ~1,000 negotiations (V8 optimising the hot paths, its heap sizing settling, SQLite's
 * page cache filling): after one round each side spent ~20% more than after five, which is the
 * steady state a connector in service runs in.
 */
const WARM_UP_ROUNDS = 5;
/** The window of a sustained measurement. */
const SUSTAIN_MS = 4000;

/** The provider process: a JSON line per command. */
class ProviderProcess {
  private readonly lines: AsyncIterator<string>;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    reader: Interface,
  ) {
    this.lines = reader[Symbol.asyncIterator]();
  }

  static spawn(synchronous: 'full' | 'normal'): ProviderProcess {
    const script = fileURLToPath(new URL('./dsp-processes.ts', import.meta.url));
    // SOVC_DSP_BENCH_PROVIDER_FLAGS adds node flags to the child, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile the provider.
    const flags = (process.env['SOVC_DSP_BENCH_PROVIDER_FLAGS'] ?? '').split(' ').filter((flag) => flag !== '');
    const child = spawn(process.execPath, [...flags, '--import', 'tsx', script], { env: { ...process.env, SOVC_DSP_BENCH_ROLE: 'provider', SOVC_DSP_BENCH_SYNC: synchronous } });
    child.stderr.pipe(process.stderr);
    return new ProviderProcess(child, createInterface({ input: child.stdout }));
  }

  async next<T>(): Promise<T> {
    const { value, done } = await this.lines.next();
    if (done === true) throw new Error('the provider process ended');
    return JSON.parse(String(value)) as T;
  }

  async ask<T>(command: 'cpu' | 'idle'): Promise<T> {
    this.child.stdin.write(`${command}\n`);
    return this.next<T>();
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin.end('stop\n');
    await exited;
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits (polling, bounded) until `done` holds. */
async function until(done: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 6000; i += 1) {
    if (await done()) return;
    await pause(10);
  }
  throw new Error(`timed out waiting until ${what}`);
}

/** FINALIZED negotiations of ours created since `since` (ISO time; default all): an index range, not the whole table. */
async function finalizedCount(eu: Connector, since = ''): Promise<number> {
  return Number((await eu.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM negotiation WHERE state = 'FINALIZED' AND created_at >= ?`, [since]))?.n);
}

async function consumerDone(eu: Connector, expected: number, since: string): Promise<boolean> {
  const pending = await eu.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM outbox_entry WHERE status = 'pending'`);
  return (await finalizedCount(eu, since)) === expected && Number(pending?.n) === 0;
}

/** Waits until the `expected` negotiations started since `since` are FINALIZED on both sides. */
async function bothDone(eu: Connector, provider: ProviderProcess, expected: number, since: string): Promise<void> {
  await until(() => consumerDone(eu, expected, since), 'the consumer has every negotiation FINALIZED');
  await until(async () => (await provider.ask<{ idle: boolean }>('idle')).idle, 'the provider has every negotiation FINALIZED');
}

const startAll = (eu: Connector, ready: ProviderReady, count: number) =>
  Promise.all(Array.from({ length: count }, async () => unwrap(await eu.dsp.negotiations.start({ offer: ready.offer, provider: { did: ready.providerDid } }))));

interface Round {
  perSecond: number;
  consumerCpuMs: number;
  providerCpuMs: number;
}

async function round(eu: Connector, provider: ProviderProcess, ready: ProviderReady): Promise<Round> {
  const since = new Date().toISOString();
  const cpu = { consumer: cpuMicros(), provider: (await provider.ask<{ cpu: number }>('cpu')).cpu };
  const started = performance.now();
  await startAll(eu, ready, COUNT);
  await bothDone(eu, provider, COUNT, since);
  const seconds = (performance.now() - started) / 1000;
  const providerCpu = (await provider.ask<{ cpu: number }>('cpu')).cpu - cpu.provider;
  return { perSecond: COUNT / seconds, consumerCpuMs: (cpuMicros() - cpu.consumer) / 1000 / COUNT, providerCpuMs: providerCpu / 1000 / COUNT };
}

/**
 * Sustained throughput: COUNT negotiations kept in flight (those that finished replaced every
 * 10 ms) for SUSTAIN_MS, counting those that finish within the window. A burst's rate also
 * holds the pipeline filling and draining (one side waiting for the other's first or last
 * messages); this is the rate two connectors keep up. Everything started is finished on both
 * sides before it returns.
 */
async function sustained(eu: Connector, provider: ProviderProcess, ready: ProviderReady): Promise<Round> {
  let started = 0;
  // Polled every 10 ms: counting only this measurement's negotiations keeps the poll cheap.
  const since = new Date().toISOString();
  const finished = () => finalizedCount(eu, since);
  const start = async (count: number) => {
    started += count;
    await startAll(eu, ready, count);
  };
  await start(COUNT);
  // The window opens once the pipeline is full: the first of these has finished.
  await until(async () => (await finished()) > 0, 'a first negotiation finished');
  const cpu = { consumer: cpuMicros(), provider: (await provider.ask<{ cpu: number }>('cpu')).cpu };
  const before = await finished();
  const opened = performance.now();
  while (performance.now() - opened < SUSTAIN_MS) {
    await pause(10);
    const inFlight = started - (await finished());
    if (inFlight < COUNT) await start(COUNT - inFlight);
  }
  const count = (await finished()) - before;
  const seconds = (performance.now() - opened) / 1000;
  const providerCpu = (await provider.ask<{ cpu: number }>('cpu')).cpu - cpu.provider;
  const round = { perSecond: count / seconds, consumerCpuMs: (cpuMicros() - cpu.consumer) / 1000 / count, providerCpuMs: providerCpu / 1000 / count };
  await bothDone(eu, provider, started, since);
  return round;
}

function describe(r: Round, target: boolean): string {
  const busiest = Math.max(r.consumerCpuMs, r.providerCpuMs);
  const rate = `${r.perSecond.toFixed(1).padStart(6)} /s  (CPU per negotiation: consumer ${r.consumerCpuMs.toFixed(1)} ms, provider ${r.providerCpuMs.toFixed(1)} ms → ${(1000 / busiest).toFixed(0)}/s with a free core per side)`;
  return target ? `${rate}  (target ${TARGET}/s: ratio ${(r.perSecond / TARGET).toFixed(2)}, ${r.perSecond >= TARGET ? 'met' : 'NOT met'})` : rate;
}

const median = (rounds: Round[]) => [...rounds].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(rounds.length / 2)] as Round;

async function twoProcesses(synchronous: 'full' | 'normal'): Promise<void> {
  const provider = ProviderProcess.spawn(synchronous);
  const dataDir = mkdtempSync(join(tmpdir(), 'sovc-dsp-bench-eu-'));
  let eu: Connector | undefined;
  try {
    const ready = await provider.next<ProviderReady>();
    eu = await build('eu', systemClock, ready.consumerPort, dataDir, ready.trustList, { synchronous, autoStartWorker: true });
    unwrap(await eu.start());
    await eu.trust.held.add(ready.consumerCredential);
    unwrap(await eu.dsp.discover({ did: ready.providerDid }));
    // Untimed rounds first, as in dsp.bench.ts: the figure is a running connector's.
    for (let i = 0; i < WARM_UP_ROUNDS; i += 1) await round(eu, provider, ready);
    const bursts: Round[] = [];
    const windows: Round[] = [];
    for (let i = 0; i < 3; i += 1) {
      bursts.push(await round(eu, provider, ready));
      windows.push(await sustained(eu, provider, ready));
    }
    const label = `[two processes, sqlite ${synchronous.padEnd(6)}]`;
    console.log(`${label} load average ${loadavg()[0]?.toFixed(1)} on this machine`);
    console.log(`${label} negotiations request→FINALIZED, a burst of 200 (filling and draining included), median of 3  ${describe(median(bursts), false)}`);
    console.log(`${label} negotiations request→FINALIZED, 200 kept in flight for ${SUSTAIN_MS / 1000} s, median of 3   ${describe(median(windows), true)}`);
  } finally {
    await eu?.stop();
    await provider.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

export default async function dspProcessesBench(): Promise<void> {
  await twoProcesses('full');
}
