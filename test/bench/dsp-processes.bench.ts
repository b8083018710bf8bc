/**
 * Full negotiations per second (request → FINALIZED on both sides, 200 at once) between two
 * connectors in two processes, as two partners run them: this process is the consumer (EU),
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

async function consumerDone(eu: Connector, total: number): Promise<boolean> {
  const finalized = await eu.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM negotiation WHERE state = 'FINALIZED'`);
  const pending = await eu.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM outbox_entry WHERE status = 'pending'`);
  return Number(finalized?.n) === total && Number(pending?.n) === 0;
}

interface Round {
  perSecond: number;
  consumerCpuMs: number;
  providerCpuMs: number;
}

async function round(eu: Connector, provider: ProviderProcess, ready: ProviderReady, total: number): Promise<Round> {
  const cpu = { consumer: cpuMicros(), provider: (await provider.ask<{ cpu: number }>('cpu')).cpu };
  const started = performance.now();
  await Promise.all(Array.from({ length: COUNT }, async () => unwrap(await eu.dsp.negotiations.start({ offer: ready.offer, provider: { did: ready.providerDid } }))));
  await until(() => consumerDone(eu, total), 'the consumer has every negotiation FINALIZED');
  await until(async () => (await provider.ask<{ idle: boolean }>('idle')).idle, 'the provider has every negotiation FINALIZED');
  const seconds = (performance.now() - started) / 1000;
  const providerCpu = (await provider.ask<{ cpu: number }>('cpu')).cpu - cpu.provider;
  return { perSecond: COUNT / seconds, consumerCpuMs: (cpuMicros() - cpu.consumer) / 1000 / COUNT, providerCpuMs: providerCpu / 1000 / COUNT };
}

function describe(r: Round): string {
  const busiest = Math.max(r.consumerCpuMs, r.providerCpuMs);
  return `${r.perSecond.toFixed(1).padStart(6)} /s  (CPU per negotiation: consumer ${r.consumerCpuMs.toFixed(1)} ms, provider ${r.providerCpuMs.toFixed(1)} ms → ${(1000 / busiest).toFixed(0)}/s with a free core per side)  (target ${TARGET}/s: ratio ${(r.perSecond / TARGET).toFixed(2)})`;
}

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
    let total = 0;
    for (let i = 0; i < WARM_UP_ROUNDS; i += 1) {
      total += COUNT;
      await round(eu, provider, ready, total);
    }
    const rounds: Round[] = [];
    for (let i = 0; i < 3; i += 1) {
      total += COUNT;
      rounds.push(await round(eu, provider, ready, total));
    }
    const median = rounds.sort((a, b) => a.perSecond - b.perSecond)[1] as Round;
    console.log(`[two processes, sqlite ${synchronous.padEnd(6)}] load average ${loadavg()[0]?.toFixed(1)} on this machine`);
    console.log(`[two processes, sqlite ${synchronous.padEnd(6)}] negotiations request→FINALIZED, 200 at once, median of 3  ${describe(median)}`);
  } finally {
    await eu?.stop();
    await provider.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

export default async function dspProcessesBench(): Promise<void> {
  await twoProcesses('full');
}
