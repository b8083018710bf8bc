/**
 * A scripted provider run for the evidence-pack tests: the UK connector's real audit log on a
 * real SQLite file, signed by a real file kms (minimum Argon2 cost), its DID documents and a
 * Canadian consumer's served by a fake web. Writes the evidence the DSP/data-plane producers
 * will write, through the contract builders, each inside a transaction with a business row.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditMigrations, createStoreAuditLog, kmsAuditSigner, type AuditEntryInput, type StoreAuditLog } from '../../src/audit/index.js';
import { SimulatedClock } from '../../src/clock/index.js';
import {
  outboundTransferEntry,
  policyRefusalEntry,
  signTransferReceipt,
  transferReceiptEntry,
  verifyTransferReceipt,
  type OutboundTransferInput,
} from '../../src/compliance/index.js';
import { unwrap } from '../../src/errors/index.js';
import { createConnectorIdentity, shippedJsonLdContexts, type ConnectorIdentity } from '../../src/identity/index.js';
import { createFileKms, MINIMUM_KDF_PARAMS, verifySignature, type FileKms } from '../../src/kms/index.js';
import { loadJurisdictionProfiles, type JurisdictionProfile } from '../../src/policy/index.js';
import { openDatabase, type Database } from '../../src/store/index.js';
import { FakeWeb, createParty, inMemoryStatusListRepository, loaderFor, publish, type Party } from '../identity/support/web.js';
import { constraint, decide, permissionWith } from '../policy/helpers.js';

export const PASSPHRASE = 'compliance test passphrase';
export const UK_BASE = 'http://127.0.0.1:7101';
export const SINCE = '2026-03-01T00:00:00.000Z';
export const HOSTILE_TITLE = '<script>alert("pwned")</script> & <img src=x onerror=alert(1)>';
const hex = (n: number) => n.toString(16).padStart(64, '0');

export interface ScriptedRun {
  dir: string;
  clock: SimulatedClock;
  web: FakeWeb;
  kms: FileKms;
  db: Database;
  audit: StoreAuditLog;
  identity: ConnectorIdentity;
  profile: JurisdictionProfile;
  consumers: { ca: Party; eu: Party; au: Party };
}

const transferTable = { capability: 'compliance-test', version: 1, sql: 'CREATE TABLE transfer (id TEXT PRIMARY KEY, state TEXT NOT NULL)' };

/** Opens the UK connector's pieces in a fresh directory (connector.db + keystore.sealed). */
export async function openRun(dir = mkdtempSync(join(tmpdir(), 'sov-compliance-'))): Promise<ScriptedRun> {
  const clock = new SimulatedClock(Date.parse('2026-02-28T12:00:00Z'));
  const web = new FakeWeb();
  const kms = unwrap(await createFileKms({ path: join(dir, 'keystore.sealed'), passphrase: PASSPHRASE, clock, kdf: MINIMUM_KDF_PARAMS }));
  const db = await openDatabase(join(dir, 'connector.db'));
  await db.migrate([...auditMigrations, transferTable]);
  const audit = createStoreAuditLog({ db, clock, signer: kmsAuditSigner(kms, verifySignature) });
  const identity = createConnectorIdentity({ baseUrl: UK_BASE, kms, clock, contexts: shippedJsonLdContexts(), statusListRepository: inMemoryStatusListRepository(), fetch: web.fetch });
  publish(web, identity.did, kms, UK_BASE);
  const profile = unwrap(loadJurisdictionProfiles()).byPartner.get('uk');
  if (profile === undefined) throw new Error('no uk profile');
  const consumers = {
    ca: await createParty(web, clock, 'http://127.0.0.1:7301'),
    eu: await createParty(web, clock, 'http://127.0.0.1:7201'),
    au: await createParty(web, clock, 'http://127.0.0.1:7401'),
  };
  return { dir, clock, web, kms, db, audit, identity, profile, consumers };
}

/** A state change and its audit entry in one transaction, as the producers do it. */
async function withStateChange(run: ScriptedRun, transferId: string, entry: AuditEntryInput, failAfterAudit = false): Promise<void> {
  await run.db.transaction(async (tx) => {
    await tx.run('INSERT INTO transfer (id, state) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET state = excluded.state', [transferId, 'COMPLETED']);
    await run.audit.append(tx, entry);
    if (failAfterAudit) throw new Error('data plane failed after the entry was written');
  });
}

function transfer(run: ScriptedRun, n: number, to: 'ca' | 'eu' | 'au', extra: Partial<OutboundTransferInput> = {}): OutboundTransferInput {
  return {
    actor: run.identity.did,
    event: 'key.released',
    transferId: `urn:uuid:transfer-${n}`,
    agreementId: `urn:uuid:agreement-${n}`,
    datasetId: `urn:dataset:uk-${n}`,
    recipientDid: run.consumers[to].did,
    recipientJurisdiction: to,
    classification: { label: 'OFFICIAL', level: 1 },
    policyDecisionDigest: `sha-256:${hex(100 + n)}`,
    containerDigest: `blake2b-256:${hex(200 + n)}`,
    keyReleaseMode: 'handover',
    ...extra,
  };
}

async function refusal(run: ScriptedRun, to: 'ca' | 'eu', stage: 'negotiation' | 'transfer', purpose: string): Promise<AuditEntryInput> {
  const report = await decide(permissionWith(constraint('purpose', 'eq', 'sov:purpose/research/health')), { purpose });
  return policyRefusalEntry({ actor: run.identity.did, stage, counterpartyDid: run.consumers[to].did, jurisdiction: to, offerId: `urn:offer:${to}-${stage}`, report });
}

/**
 * The run: one transfer just before SINCE, then (from SINCE exactly) 3 outbound transfers (to
 * ca with a verified receipt, to eu owner-held with two entries, to au with a hostile title),
 * 2 refusals (ca, eu), a permitted decision and a non-final transfer state (both not
 * evidence), a signing-key rotation, and a transfer whose transaction threw after its entry.
 */
export async function script(run: ScriptedRun): Promise<void> {
  const { clock, audit } = run;
  for (const key of run.kms.listKeys()) await audit.record({ actor: run.identity.did, type: 'key.created', subjects: [key.keyId], details: { kind: key.kind } });
  clock.set(Date.parse(SINCE) - 1);
  await withStateChange(run, 'urn:uuid:transfer-0', outboundTransferEntry(transfer(run, 0, 'ca')));
  clock.set(Date.parse(SINCE));
  await withStateChange(run, 'urn:uuid:transfer-1', outboundTransferEntry(transfer(run, 1, 'ca', { anonymisationReportDigest: `sha-256:${hex(301)}`, classification: { label: 'OFFICIAL-SENSITIVE', level: 2 } })));
  clock.advance(60_000);
  const receipt = await signTransferReceipt({
    kms: run.consumers.ca.kms,
    clock,
    receipt: { transferId: 'urn:uuid:transfer-1', agreementId: 'urn:uuid:agreement-1', providerDid: run.identity.did, consumerDid: run.consumers.ca.did, containerDigest: `blake2b-256:${hex(201)}`, receivedAt: new Date(clock.now()).toISOString() },
  });
  const checked = unwrap(await verifyTransferReceipt(receipt, { documentLoader: loaderFor(run.web, clock), verifySignature }));
  await audit.record(transferReceiptEntry({ actor: run.consumers.ca.did, receipt: checked }));
  clock.advance(60_000);
  await audit.record(await refusal(run, 'ca', 'negotiation', 'sov:purpose/marketing'));
  clock.advance(60_000);
  await withStateChange(run, 'urn:uuid:transfer-2', outboundTransferEntry(transfer(run, 2, 'eu', { event: 'transfer.state', keyReleaseMode: 'owner-held' })));
  clock.advance(60_000);
  await audit.record(outboundTransferEntry(transfer(run, 2, 'eu', { keyReleaseMode: 'owner-held' })));
  clock.advance(60_000);
  await audit.record({ actor: run.identity.did, type: 'policy.decision', subjects: ['urn:offer:ok'], digest: `sha-256:${hex(9)}`, details: { outcome: 'permitted', stage: 'negotiation' } });
  await audit.record({ actor: run.identity.did, type: 'transfer.state', subjects: ['urn:uuid:transfer-3'], details: { direction: 'outbound', state: 'STARTED', transferId: 'urn:uuid:transfer-3' } });
  await withStateChange(run, 'urn:uuid:transfer-3', outboundTransferEntry(transfer(run, 3, 'au', { datasetTitle: HOSTILE_TITLE })));
  clock.advance(60_000);
  await audit.record(await refusal(run, 'eu', 'transfer', 'sov:purpose/commercial'));
  clock.advance(60_000);
  const previous = run.kms.activeSigningKey().keyId;
  const rotated = await run.kms.rotate('signing');
  await audit.record({ actor: 'admin:alice', type: 'key.rotated', subjects: [rotated.keyId, previous], details: { kind: 'signing', previous } });
  publish(run.web, run.identity.did, run.kms, UK_BASE);
  clock.advance(60_000);
  await withStateChange(run, 'urn:uuid:transfer-4', outboundTransferEntry(transfer(run, 4, 'ca')), true).then(
    () => Promise.reject(new Error('the failing transfer committed')),
    (error: Error) => (error.message.includes('data plane failed') ? undefined : Promise.reject(error)),
  );
  clock.advance(60_000);
}
