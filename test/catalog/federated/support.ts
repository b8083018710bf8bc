/**
 * Builders for federated catalogue tests: real DSP catalogue pages (src/catalog's DCAT
 * builder) holding offers made from the real contract templates (as the provider's
 * `dspOfferOf` shows them), a Timer driven by a SimulatedClock, and a throw-away SQLite store.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogOf, dataService, datasetOf, type CatalogEntry } from '../../../src/catalog/index.js';
import type { Timer } from '../../../src/catalog/federated/index.js';
import type { SimulatedClock } from '../../../src/clock/index.js';
import type { OdrlOffer } from '../../../src/dsp/index.js';
import { unwrap } from '../../../src/errors/index.js';
import { dspOfferOf, type Offering } from '../../../src/offerings/index.js';
import { loadContractTemplates } from '../../../src/policy/index.js';
import { openDatabase, type Database } from '../../../src/store/index.js';

const templates = unwrap(loadContractTemplates());

/** Every contract template instantiated with its example parameters (what the wiring recognises offers by). */
export function contractTemplates(): Array<{ name: string; document: Record<string, unknown> }> {
  return templates.list().map((info) => ({ name: info.name, document: unwrap(templates.instantiate(info.name, info.example)) }));
}

/** The catalogue offer of an offering made from `template` with `params` (default: its example). */
export function templateOffer(id: string, template: string, params?: Record<string, unknown>): OdrlOffer {
  const info = templates.list().find((t) => t.name === template);
  if (info === undefined) throw new Error(`no template ${template}`);
  const document = unwrap(templates.instantiate(template, params ?? info.example, { assigner: 'did:web:provider.example' }));
  return dspOfferOf({ offerId: id, policy: { source: { template, params: params ?? info.example }, document } } as unknown as Offering);
}

export interface DatasetSpec {
  id: string;
  title: string;
  description?: string;
  keywords?: string[];
  classification?: string;
  template?: string;
}

export function entryOf(spec: DatasetSpec): CatalogEntry {
  return {
    id: spec.id,
    title: spec.title,
    ...(spec.description === undefined ? {} : { description: spec.description }),
    ...(spec.keywords === undefined ? {} : { keywords: spec.keywords }),
    classification: spec.classification ?? 'OFFICIAL',
    offers: [templateOffer(`${spec.id}:offer`, spec.template ?? 'coalition-open')],
    formats: ['HttpData-PULL'],
  };
}

/** One DSP catalogue page of `did`, as its DSP endpoint would serve it. */
export function catalogPage(did: string, specs: DatasetSpec[]) {
  const identity = { catalogId: `${did}/catalog`, participantId: did, dspBase: 'http://127.0.0.1:1/dsp/2025-1' };
  return catalogOf(identity, specs.map((spec) => datasetOf(entryOf(spec), dataService(identity))));
}

/** Timers that fire when the simulated clock is advanced past them, in due order. */
export class ClockTimers implements Timer {
  private readonly pending = new Map<number, { due: number; callback: () => void }>();
  private next = 0;
  constructor(private readonly clock: SimulatedClock) {}
  set(callback: () => void, ms: number): unknown {
    this.next += 1;
    this.pending.set(this.next, { due: this.clock.now() + ms, callback });
    return this.next;
  }
  clear(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  /** Delays of the timers set and not yet fired, from now. */
  delays(): number[] {
    return [...this.pending.values()].map((t) => t.due - this.clock.now()).sort((a, b) => a - b);
  }
  advance(ms: number): void {
    this.clock.advance(ms);
    const due = [...this.pending.entries()].filter(([, t]) => t.due <= this.clock.now()).sort(([, a], [, b]) => a.due - b.due);
    for (const [handle, timer] of due) {
      this.pending.delete(handle);
      timer.callback();
    }
  }
}

export async function tempDatabase(): Promise<Database> {
  return openDatabase(join(mkdtempSync(join(tmpdir(), 'sovc-fedcat-')), 'store.db'));
}
