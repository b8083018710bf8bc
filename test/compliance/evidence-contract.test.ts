/**
 * The evidence contract: receipts verify only when signed by their consumer and unchanged;
 * builders refuse evidence that breaks the contract; entries that claim to be evidence but do
 * not match it, or receipts naming another container, surface as anomalies in the pack.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEvidencePack, outboundTransferEntry, signTransferReceipt, transferReceiptEntry, verifyTransferReceipt, type TransferReceipt } from '../../src/compliance/index.js';
import { unwrap } from '../../src/errors/index.js';
import { verifySignature } from '../../src/kms/index.js';
import { loaderFor } from '../identity/support/web.js';
import { openRun, SINCE, type ScriptedRun } from './scripted-run.js';

let run: ScriptedRun;
let receipt: TransferReceipt;
const digest = (c: string) => `blake2b-256:${c.repeat(64)}`;
const options = () => ({ documentLoader: loaderFor(run.web, run.clock), verifySignature });

beforeAll(async () => {
  run = await openRun();
  run.clock.set(Date.parse(SINCE));
  receipt = await signTransferReceipt({
    kms: run.consumers.ca.kms,
    clock: run.clock,
    receipt: { transferId: 'urn:uuid:t', agreementId: 'urn:uuid:a', providerDid: run.identity.did, consumerDid: run.consumers.ca.did, containerDigest: digest('b'), receivedAt: SINCE },
  });
});

afterAll(async () => {
  await run.db.close();
  run.kms.close();
  rmSync(run.dir, { recursive: true, force: true });
});

describe('transfer receipts (eddsa-jcs-2022)', () => {
  it('verify when signed by the consumer named in them', async () => {
    expect(unwrap(await verifyTransferReceipt(receipt, options()))).toEqual(receipt);
    expect(receipt.proof).toMatchObject({ type: 'DataIntegrityProof', cryptosuite: 'eddsa-jcs-2022', proofPurpose: 'assertionMethod' });
  });

  it('are refused when changed, or when signed by someone other than their consumer', async () => {
    const changed = { ...receipt, containerDigest: digest('c') };
    expect(await verifyTransferReceipt(changed, options())).toMatchObject({ ok: false, code: 'SOV_COMPLIANCE_RECEIPT_INVALID' });
    const { proof: _proof, type: _type, ...fields } = receipt;
    const impostor = await signTransferReceipt({ kms: run.consumers.eu.kms, clock: run.clock, receipt: fields });
    expect(impostor.proof.verificationMethod.startsWith(`${run.consumers.ca.did}#`)).toBe(true);
    expect(await verifyTransferReceipt(impostor, options())).toMatchObject({ ok: false, code: 'SOV_COMPLIANCE_RECEIPT_INVALID' });
    expect(await verifyTransferReceipt({ ...receipt, extra: 1 }, options())).toMatchObject({ ok: false, code: 'SOV_COMPLIANCE_RECEIPT_INVALID' });
  });
});

describe('builders and anomalies', () => {
  const outbound = () => ({
    actor: run.identity.did,
    event: 'key.released' as const,
    transferId: 'urn:uuid:t',
    agreementId: 'urn:uuid:a',
    datasetId: 'urn:dataset:d',
    recipientDid: run.consumers.ca.did,
    recipientJurisdiction: 'ca',
    classification: { label: 'OFFICIAL', level: 1 },
    policyDecisionDigest: `sha-256:${'1'.repeat(64)}`,
    containerDigest: digest('a'),
    keyReleaseMode: 'handover' as const,
  });

  it('builders throw on evidence that breaks the contract (a producer bug)', () => {
    expect(() => outboundTransferEntry({ ...outbound(), recipientJurisdiction: 'Canada' })).toThrow();
    expect(() => outboundTransferEntry({ ...outbound(), policyDecisionDigest: 'none' })).toThrow();
  });

  it('surfaces malformed evidence and a receipt for another container as anomalies', async () => {
    await run.audit.record(outboundTransferEntry(outbound()));
    await run.audit.record(transferReceiptEntry({ actor: run.consumers.ca.did, receipt }));
    await run.audit.record({ actor: run.identity.did, type: 'key.released', subjects: ['urn:uuid:x'], details: { direction: 'outbound', transferId: 'urn:uuid:x' } });
    const { pack } = unwrap(await buildEvidencePack({ audit: run.audit, identity: run.identity, profile: run.profile, since: SINCE, clock: run.clock }));
    expect(pack.outbound.map((t) => t.transferId)).toEqual(['urn:uuid:t']);
    expect(pack.anomalies.map((a) => a.problem)).toEqual([
      expect.stringContaining(`the consumer received container ${digest('b')}, not the ${digest('a')} sent`),
      expect.stringContaining('outbound transfer evidence does not match the contract'),
    ]);
    expect(pack.counts.anomalies).toBe(2);
  });
});
