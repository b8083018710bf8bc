/**
 * Fixtures for the anonymising transform: a provider and a consumer, each with a real file kms
 * and directory store; the UK sample dataset ingested as a container; duties produced by the
 * policy engine from the `research-anonymised` template; and the consumer's side of a handover
 * (the DEK sealed to its X25519 key, imported into its kms, the container opened with it).
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { loadDeclarationFile, type AnonymisationDeclaration } from '../../../src/anonymise/index.js';
import { createAnonymisingTransform, type AnonymisingTransform, type SourceDataset } from '../../../src/anonymise-flow/index.js';
import { SimulatedClock, uuidGenerator } from '../../../src/clock/index.js';
import {
  createDirectoryStore, encryptToContainer, lendDataKey, loadBulkCrypto, openContainer, settle, type BulkCrypto, type CiphertextStore,
} from '../../../src/dataplane/index.js';
import { fail, ok, unwrap, type Result } from '../../../src/errors/index.js';
import { createFileKms, MINIMUM_KDF_PARAMS, type FileKms } from '../../../src/kms/index.js';
import { loadContractTemplates, type DutyReport } from '../../../src/policy/index.js';
import { decide } from '../../policy/helpers.js';
import { UK_DATA, UK_DECLARATION } from '../fixtures.js';

export interface Party {
  did: string;
  kms: FileKms;
  store: CiphertextStore;
}

export interface Flow {
  crypto: BulkCrypto;
  clock: SimulatedClock;
  provider: Party;
  consumer: Party;
  declaration: AnonymisationDeclaration;
  input: Buffer;
  dataset: SourceDataset;
  transform: AnonymisingTransform;
}

async function party(name: string, crypto: BulkCrypto, clock: SimulatedClock): Promise<Party> {
  const dir = await mkdtemp(join(tmpdir(), `sovc-anon-flow-${name}-`));
  const kms = unwrap(await createFileKms({ path: join(dir, 'keystore.sealed'), passphrase: `${name} passphrase`, clock, kdf: MINIMUM_KDF_PARAMS }));
  return { did: `did:web:${name}.example`, kms, store: await createDirectoryStore({ dir: join(dir, 'store') }) };
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += 5000) yield bytes.subarray(at, at + 5000);
}

/** Ingests `bytes` as the provider's stored dataset of `offeringId` (encrypted once, signed). */
export async function ingest(crypto: BulkCrypto, provider: Party, bytes: Uint8Array, offeringId = 'urn:dataset:uk-hospital-episodes'): Promise<SourceDataset> {
  const id = uuidGenerator.urn();
  const dataKey = await provider.kms.createDataKey(`dataset:${id}`);
  const output = encryptToContainer(once(bytes), { crypto, kms: provider.kms, dataKeyId: dataKey.keyId, datasetId: offeringId, datasetVersion: '1', signerDid: provider.did, chunkSize: 4096 });
  unwrap(await provider.store.put(id, output));
  const signing = provider.kms.activeSigningKey();
  return {
    id,
    offeringId,
    version: '1',
    containerId: id,
    containerDigest: Buffer.from(output.summary!.digest).toString('hex'),
    signer: `${provider.did}#${signing.keyId}`,
    signerPublicKey: Buffer.from(signing.publicKey).toString('base64url'),
    dataKeyId: dataKey.keyId,
  };
}

export async function makeFlow(options: { store?: (store: CiphertextStore) => CiphertextStore } = {}): Promise<Flow> {
  const crypto = await loadBulkCrypto();
  const clock = new SimulatedClock();
  const provider = await party('uk', crypto, clock);
  const consumer = await party('ca', crypto, clock);
  const declaration = unwrap(await loadDeclarationFile(new URL(UK_DECLARATION).pathname));
  const input = await readFile(UK_DATA);
  const dataset = await ingest(crypto, provider, input);
  const store = options.store?.(provider.store) ?? provider.store;
  const transform = createAnonymisingTransform({
    kms: provider.kms, store, crypto, clock, ids: uuidGenerator, did: provider.did,
    declarations: async () => ok(declaration),
  });
  return { crypto, clock, provider, consumer, declaration, input, dataset, transform };
}

/** The pending pre-condition duties the policy engine reports for the research-anonymised offer. */
export async function anonymiseDuties(params: { k: number; l: number; maxSuppressionPercent: number }): Promise<DutyReport[]> {
  const catalogue = unwrap(loadContractTemplates());
  const offer = unwrap(catalogue.instantiate('research-anonymised', params, { uid: 'urn:policy:research', target: 'urn:dataset:census-2026' }));
  const report = await decide(offer, { action: 'use', purpose: 'sov:purpose/research/health' });
  if (report.outcome !== 'permitted' && report.permittedOnceDutiesFulfilled !== true) throw new Error(`the research offer was not permitted: ${report.explanation}`);
  return report.duties.filter((duty) => duty.timing === 'pre-condition' && duty.state === 'pending');
}

export const agreement = (id: string) => ({ '@id': id });

/** The consumer's side of a handover: DEK sealed to its kms, container opened and verified. */
export async function consumerDecrypts(flow: Flow, container: { containerId: string; dataKeyId: string }): Promise<Result<Buffer>> {
  const sealed = unwrap(await flow.provider.kms.sealDataKeyTo(container.dataKeyId, flow.consumer.kms.activeAgreementKey().publicKey));
  const imported = unwrap(await flow.consumer.kms.importSealedDataKey(sealed, { label: 'received' }));
  const ciphertext = unwrap(await flow.provider.store.get(container.containerId));
  const plaintext = openContainer(ciphertext, {
    crypto: flow.crypto,
    dek: lendDataKey(flow.consumer.kms, imported.keyId),
    expectedSignerKey: flow.provider.kms.activeSigningKey().publicKey,
  });
  return settle(async () => {
    const parts: Uint8Array[] = [];
    for await (const part of plaintext) parts.push(Uint8Array.from(part));
    return Buffer.concat(parts);
  });
}

export const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

/** The provider's Ed25519 key by DID URL, as the consumer would resolve it from the DID document. */
export function providerKeys(flow: Flow) {
  return async (didUrl: string) => {
    const key = flow.provider.kms.verificationKeys().find((k) => didUrl === `${flow.provider.did}#${k.keyId}`);
    return key === undefined ? fail('SOV_ANON_REPORT_INVALID', `unknown key ${didUrl}`) : ok(key.publicKey);
  };
}
