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
import { loadPartner } from '../../src/config/index.js';
import { SimulatedClock, uuidGenerator, type Clock } from '../../src/clock/index.js';
import { createConnector, type Connector } from '../../src/connector/index.js';
import { ok, unwrap } from '../../src/errors/index.js';
import { createHttpApp, createLogger, listen } from '../../src/http/index.js';
import { createJsonFileStatusListRepository, shippedJsonLdContexts } from '../../src/identity/index.js';
import { createFileKms, MINIMUM_KDF_PARAMS, type FileKms } from '../../src/kms/index.js';
import type { ContractNegotiation, TargetedOffer } from '../../src/negotiation/index.js';
import { dspOfferOf } from '../../src/offerings/index.js';
import { createJsonFileRegistrarRepository, createRegistrar, issueCallerToken, registrarRoutes, type Registrar } from '../../src/trust/index.js';
import type { DataPlaneControl } from '../../src/transfer/index.js';
import { freePort } from '../support/partners.js';

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
  /** The node of `code` (throws for a code not in the federation). */
  node(code: string): Node;
  /** Delivers everything due in `node`'s outbox now (one step of the conversation). */
  step(node: Node): Promise<void>;
  /** Drains every running connector's outbox until a whole round delivers nothing. */
  settle(): Promise<void>;
  stopAll(): Promise<void>;
}

export type TrustEntry = { did: string; keys: string[]; credentialTypes: string[] };

/** 2026-11-29 12:00 UTC, as the trust tests use. */
const START = Date.UTC(2026, 10, 29, 12);

const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), `sovc-dsp-${prefix}-`));

export async function newKms(clock: Clock): Promise<FileKms> {
  return unwrap(await createFileKms({ path: join(tempDir('kms'), 'keystore.sealed'), passphrase: 'test passphrase', clock, kdf: MINIMUM_KDF_PARAMS }));
}

/** The trust-list entry accepting `registrar` with its current key pinned. */
export function trustEntry(registrar: Registrar): TrustEntry {
  const key = String((registrar.didDocument().verificationMethod ?? [])[0]?.publicKeyMultibase);
  return { did: registrar.did, keys: [key], credentialTypes: ['FederationMembershipCredential'] };
}

const silent = createLogger({ level: 'silent' });

export interface FederationOptions {
  /** SQLite durability of the connectors' stores; default `normal` (throw-away test stores). */
  synchronous?: 'full' | 'normal';
  /** Runs the outbox worker by itself (woken by each commit that queues a message) instead of `settle()` driving it. */
  autoStartWorker?: boolean;
}

/** A connector of partner `code` on `port`, trusting `trustList`, not yet started (see `dspFederation`). */
export async function build(code: string, clock: Clock, port: number, dataDir: string, trustList: TrustEntry[], options: FederationOptions): Promise<Connector> {
  const env = { SOVC_KEYSTORE_PASSPHRASE: `test passphrase for ${code}`, SOVC_ADMIN_TOKEN: `admin-token-for-${code}-tests`, SOVC_RESEARCHER_TOKEN: `researcher-token-for-${code}-tests` };
  const partner = unwrap(loadPartner(code, { env, overrides: { port, dataDir, registrar: { enabled: false }, logLevel: 'silent', trustList } }));
  const dataPlane = testDataPlane(partner.config.publicBaseUrl);
  return unwrap(
    await createConnector({ ...partner, kdf: MINIMUM_KDF_PARAMS, logger: silent, clock, dsp: { autoStartWorker: options.autoStartWorker ?? false, dataPlane }, sqliteSynchronous: options.synchronous ?? 'normal' }),
  );
}

/** Data-plane calls the provider made, per connector base URL (the encrypted data plane comes later). */
export const dataPlaneCalls = new Map<string, Array<{ transfer: string; call: 'start' | 'suspended' | 'completed' | 'terminated' }>>();

/** A simple pull source: the address names the transfer; start and stop are recorded. */
function testDataPlane(base: string): DataPlaneControl {
  const calls = dataPlaneCalls.get(base) ?? [];
  dataPlaneCalls.set(base, calls);
  return {
    async start(transfer) {
      calls.push({ transfer: transfer.id, call: 'start' });
      return ok({ '@type': 'DataAddress', endpointType: 'https://w3id.org/idsa/v4.1/HTTP', endpoint: `${base}/test-data/${encodeURIComponent(transfer.id)}` });
    },
    async stop(transfer, why) {
      calls.push({ transfer: transfer.id, call: why });
    },
  };
}

/** The membership credential `registrar` issues to the connector `did` configured as `config`. */
export async function membershipCredential(registrar: Registrar, did: string, config: Pick<Connector['config'], 'legal' | 'jurisdiction'>) {
  const { legal, jurisdiction } = config;
  const issued = unwrap(
    await registrar.accredit({
      subject: did,
      legalName: legal.legalName,
      registrationNumber: legal.registrationNumber.value,
      jurisdiction,
      countrySubdivisionCode: legal.headquarterAddress.countrySubdivisionCode,
      roles: ['provider', 'consumer', 'researcher'],
      maxClassification: 'OFFICIAL',
    }),
  );
  return issued.credential;
}

async function accredit(registrar: Registrar, connector: Connector): Promise<void> {
  await connector.trust.held.add(await membershipCredential(registrar, connector.did, connector.config));
}

/** One loopback server with a registrar per nation under `/<code>`; closed by `stopAll`. */
export async function registrarHost(clock: Clock, codes: string[]) {
  const app = createHttpApp({ logger: silent, limits: { managementBodyBytes: 64 * 1024, dspBodyBytes: 64 * 1024 } });
  const server = unwrap(await listen(app, { host: '127.0.0.1', port: 0 }));
  const registrars = new Map<string, Registrar>();
  for (const code of codes) {
    const dir = tempDir('registrar');
    const registrar = createRegistrar({
      baseUrl: `${server.url}/${code}`,
      kms: await newKms(clock),
      clock,
      contexts: shippedJsonLdContexts(),
      statusListRepository: createJsonFileStatusListRepository({ path: join(dir, 'status-lists.json') }),
      registry: createJsonFileRegistrarRepository({ path: join(dir, 'accreditations.json') }),
    });
    app.mount(`/${code}`, registrarRoutes(registrar));
    registrars.set(code, registrar);
  }
  return { registrars, close: () => server.close({ graceMs: 0 }) };
}

/** Connectors for `codes` (e.g. ['uk', 'eu']), started and accredited by their nation's registrar. */
export async function dspFederation(codes: string[], options: FederationOptions = {}): Promise<Federation> {
  const clock = new SimulatedClock(START);
  const { registrars, close } = await registrarHost(clock, codes);
  const trustList = [...registrars.values()].map(trustEntry);
  const running = new Set<Node>();
  const nodes: Record<string, Node> = {};
  for (const code of codes) {
    const port = await freePort();
    const dataDir = tempDir(code);
    const node: Node = {
      code,
      connector: await build(code, clock, port, dataDir, trustList, options),
      async stop() {
        running.delete(node);
        await node.connector.stop();
      },
      async restart() {
        node.connector = await build(code, clock, port, dataDir, trustList, options);
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
    node(code) {
      const node = nodes[code];
      if (node === undefined) throw new Error(`no node ${code}`);
      return node;
    },
    async step(node) {
      await node.connector.dsp.worker.drain();
    },
    async settle() {
      for (let round = 0; round < 100; round += 1) {
        // One connector after the other, in a fixed order, so crossing messages cross the same way every run.
        const reports = [];
        for (const node of running) reports.push(await node.connector.dsp.worker.drain());
        if (reports.every((r) => r.delivered + r.retried + r.gaveUp + r.lostLeases === 0)) return;
      }
      throw new Error('the outboxes did not settle in 100 rounds');
    },
    async stopAll() {
      await Promise.all([...running].map((node) => node.stop()));
      await close();
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
  if (mine?.providerPid === undefined) throw new Error(`negotiation ${consumerPid}: the consumer never learnt the providerPid`);
  const theirs = await provider.connector.dsp.negotiations.get(mine?.providerPid as string);
  if (mine === undefined || theirs === undefined) throw new Error(`negotiation ${consumerPid} is missing on one side`);
  return { consumer: mine, provider: theirs };
}

/** Negotiates `offer` from `consumer` to FINALIZED; returns both records. */
export async function finalized(federation: Federation, consumer: Node, provider: Node, offer: TargetedOffer) {
  const started = unwrap(await consumer.connector.dsp.negotiations.start({ offer, provider: { did: provider.connector.did } }));
  await federation.settle();
  const sides = await bothSides(consumer, provider, started.id);
  if (sides.consumer.state !== 'FINALIZED' || sides.provider.state !== 'FINALIZED') throw new Error(`negotiation ${started.id} ended ${sides.consumer.state}/${sides.provider.state}`);
  return sides;
}

/** The DSP base URL `node` serves (`…/dsp/2025-1`). */
export const dspBase = (node: Node): string => node.connector.dsp.self.dspBase;

/** A well-formed, well-authenticated POST from `from` to `to`'s DSP `path` (the connector's own client). */
export async function signedPost(from: Node, to: Node, path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const answer = unwrap(await from.connector.trust.client.post(`${dspBase(to)}${path}`, to.connector.did, body));
  return answer as { status: number; body: Record<string, unknown> };
}

/**
 * POSTs `text` as it is to `to`'s DSP `path`, with a caller token from `from` for `audience`
 * (default: the callee), the given `token`, or none (`token: null`): for messages a
 * well-behaved connector would never send.
 */
export async function rawPost(from: Node, to: Node, path: string, text: string, options: { audience?: string; token?: string | null } = {}) {
  const url = `${dspBase(to)}${path}`;
  const token =
    options.token === null
      ? undefined
      : (options.token ??
        (await issueCallerToken({ signer: from.connector.kms, callerDid: from.connector.did, audienceDid: options.audience ?? to.connector.did, request: { method: 'POST', url, body: text }, clock: from.connector.clock, ids: uuidGenerator })));
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) }, body: text });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}
