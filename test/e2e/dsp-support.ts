/**
 * A DSP test federation over real loopback HTTP: one registrar host serving a national
 * registrar per nation, and whole connectors built through the composition root (real
 * connector.json of each partner, free ports, temp data dirs, cheapest Argon2id), each with
 * every registrar on its trust list and its membership credential held. One SimulatedClock;
 * the outbox workers are not started: `settle()` drains every connector's outbox until
 * nothing is due, so each test decides when messages travel.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { loadPartner } from '../../src/cli/partners.js';
import type { SimulatedClock } from '../../src/clock/index.js';
import { createConnector, type Connector } from '../../src/connector/index.js';
import { unwrap } from '../../src/errors/index.js';
import { createLogger } from '../../src/http/index.js';
import { MINIMUM_KDF_PARAMS } from '../../src/kms/index.js';
import type { ContractNegotiation, TargetedOffer } from '../../src/negotiation/index.js';
import { dspOfferOf } from '../../src/offerings/index.js';
import type { Registrar } from '../../src/trust/index.js';
import { freePort } from '../support/partners.js';
import { newClock, startRegistrarHost, trustEntry } from '../trust/support/federation.js';

export interface Node {
  readonly code: string;
  connector: Connector;
  /** Stops the connector (server, worker, store) as `connector.stop()` does. */
  stop(): Promise<void>;
  /** Builds it again from the same config and data dir and starts it (a process restart). */
  restart(): Promise<void>;
}

export interface Federation {
  clock: SimulatedClock;
  nodes: Record<string, Node>;
  /** Drains every running connector's outbox until a whole round delivers nothing. */
  settle(): Promise<void>;
  stopAll(): Promise<void>;
}

type TrustEntry = { did: string; keys: string[]; credentialTypes: string[] };

const silent = createLogger({ level: 'silent' });

async function build(code: string, clock: SimulatedClock, port: number, dataDir: string, trustList: TrustEntry[]): Promise<Connector> {
  const env = { SOVC_KEYSTORE_PASSPHRASE: `test passphrase for ${code}`, SOVC_ADMIN_TOKEN: `admin-token-for-${code}-tests`, SOVC_RESEARCHER_TOKEN: `researcher-token-for-${code}-tests` };
  const partner = unwrap(loadPartner(code, { env, overrides: { port, dataDir, registrar: { enabled: false }, logLevel: 'silent', trustList } }));
  return unwrap(await createConnector({ ...partner, kdf: MINIMUM_KDF_PARAMS, logger: silent, clock, dsp: { autoStartWorker: false } }));
}

async function accredit(registrar: Registrar, connector: Connector): Promise<void> {
  const { legal, jurisdiction } = connector.config;
  const issued = unwrap(
    await registrar.accredit({
      subject: connector.did,
      legalName: legal.legalName,
      registrationNumber: legal.registrationNumber.value,
      jurisdiction,
      countrySubdivisionCode: legal.headquarterAddress.countrySubdivisionCode,
      roles: ['provider', 'consumer', 'researcher'],
      maxClassification: 'OFFICIAL',
    }),
  );
  await connector.trust.held.add(issued.credential);
}

/** Connectors for `codes` (e.g. ['uk', 'eu']), started and accredited by their nation's registrar. */
export async function dspFederation(codes: string[]): Promise<Federation> {
  const clock = newClock();
  const host = await startRegistrarHost(clock);
  const registrars = new Map<string, Registrar>();
  for (const code of codes) registrars.set(code, await host.add(`/${code}`));
  const trustList = [...registrars.values()].map((registrar) => {
    const entry = trustEntry(registrar);
    return { did: entry.did, keys: [...entry.keys], credentialTypes: [...entry.credentialTypes] };
  });
  const running = new Set<Node>();
  const nodes: Record<string, Node> = {};
  for (const code of codes) {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), `sovc-dsp-${code}-`));
    const node: Node = {
      code,
      connector: await build(code, clock, port, dataDir, trustList),
      async stop() {
        running.delete(node);
        await node.connector.stop();
      },
      async restart() {
        node.connector = await build(code, clock, port, dataDir, trustList);
        unwrap(await node.connector.start());
        running.add(node);
      },
    };
    unwrap(await node.connector.start());
    await accredit(registrars.get(code) as Registrar, node.connector);
    running.add(node);
    nodes[code] = node;
  }
  return {
    clock,
    nodes,
    async settle() {
      for (let round = 0; round < 100; round += 1) {
        const reports = await Promise.all([...running].map((node) => node.connector.dsp.worker.drain()));
        if (reports.every((r) => r.delivered + r.retried + r.gaveUp + r.lostLeases === 0)) return;
      }
      throw new Error('the outboxes did not settle in 100 rounds');
    },
    async stopAll() {
      await Promise.all([...running].map((node) => node.stop()));
    },
  };
}

/** Creates an offering from a contract template and returns its catalogue offer with the dataset as target. */
export async function offerDataset(provider: Node, template: string, params: Record<string, unknown> = {}, title = 'Hospital admissions'): Promise<TargetedOffer> {
  const offering = unwrap(
    await provider.connector.dsp.offerings.create({
      title,
      policy: { template, params },
      classification: 'OFFICIAL',
      personalData: false,
      dataSource: { type: 'file', reference: 'connectors/uk/data/admissions.csv' },
      formats: ['HttpData-PULL'],
    }),
  );
  return { ...dspOfferOf(offering), target: offering.id };
}

/** Both sides' records of one negotiation (by the consumer's pid). */
export async function bothSides(consumer: Node, provider: Node, consumerPid: string): Promise<{ consumer: ContractNegotiation; provider: ContractNegotiation }> {
  const mine = await consumer.connector.dsp.negotiations.get(consumerPid);
  expect(mine?.providerPid).toBeDefined();
  const theirs = await provider.connector.dsp.negotiations.get(mine?.providerPid as string);
  if (mine === undefined || theirs === undefined) throw new Error(`negotiation ${consumerPid} is missing on one side`);
  return { consumer: mine, provider: theirs };
}
