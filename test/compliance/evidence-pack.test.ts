/**
 * Issue 5 "Tests": the evidence pack for a scripted run contains exactly the transfers and
 * refusals that happened, and its signature verifies independently (@digitalbazaar/vc with its
 * own suite and loader); the partner filter and the period boundary hold; tampering is refused.
 */
import { rmSync } from 'node:fs';
import * as vc from '@digitalbazaar/vc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildEvidencePack,
  COMPLIANCE_CONTEXT_V1,
  renderEvidencePackHtml,
  verifyEvidencePack,
  type EvidencePack,
  type EvidencePackResult,
} from '../../src/compliance/index.js';
import { unwrap } from '../../src/errors/index.js';
import { VC_V2_CONTEXT } from '../../src/identity/index.js';
import { verifySignature } from '../../src/kms/index.js';
import { independentLoader, independentSuite } from '../identity/support/independent-verifier.js';
import { loaderFor } from '../identity/support/web.js';
import { HOSTILE_TITLE, openRun, script, SINCE, type ScriptedRun } from './scripted-run.js';

let run: ScriptedRun;
let full: EvidencePackResult;

async function pack(since: string, partner?: string): Promise<EvidencePack> {
  return unwrap(await buildEvidencePack({ audit: run.audit, identity: run.identity, profile: run.profile, since, clock: run.clock, ...(partner ? { partner } : {}) })).pack;
}

const transferIds = (p: EvidencePack) => p.outbound.map((t) => t.transferId);
const refusalOffers = (p: EvidencePack) => p.refusals.map((r) => r.offerId);
const verifierOptions = () => ({ documentLoader: loaderFor(run.web, run.clock), clock: run.clock, verifySignature });

beforeAll(async () => {
  run = await openRun();
  await script(run);
  full = unwrap(await buildEvidencePack({ audit: run.audit, identity: run.identity, profile: run.profile, since: '2026-03-01', clock: run.clock }));
});

afterAll(async () => {
  await run.db.close();
  run.kms.close();
  rmSync(run.dir, { recursive: true, force: true });
});

describe('the evidence pack of a scripted run', () => {
  it('lists exactly the datasets that left, with agreement, classification, digests and receipt', () => {
    const p = full.pack;
    expect(transferIds(p)).toEqual(['urn:uuid:transfer-1', 'urn:uuid:transfer-2', 'urn:uuid:transfer-3']);
    const [t1, t2, t3] = p.outbound;
    expect(t1).toMatchObject({
      agreementId: 'urn:uuid:agreement-1',
      recipientDid: run.consumers.ca.did,
      recipientJurisdiction: 'ca',
      classification: { label: 'OFFICIAL-SENSITIVE', level: 2 },
      anonymisationReportDigest: expect.stringMatching(/^sha-256:/),
      keyReleaseMode: 'handover',
      leftAt: SINCE,
    });
    expect(t1?.receipt).toMatchObject({ type: 'TransferReceipt', consumerDid: run.consumers.ca.did, containerDigest: t1?.containerDigest });
    expect(t1?.receiptDigest).toMatch(/^sha-256:[0-9a-f]{64}$/);
    expect(t2).toMatchObject({ recipientJurisdiction: 'eu', keyReleaseMode: 'owner-held' });
    expect(t2?.evidence.map((e) => e.type)).toEqual(['transfer.state', 'key.released']);
    expect(t2?.receipt).toBeUndefined();
    expect(t3?.datasetTitle).toBe(HOSTILE_TITLE);
    expect(p.counts).toMatchObject({ outbound: 3, refusals: 2, receipts: 1, anomalies: 0 });
    expect(p.anomalies).toEqual([]);
  });

  it('lists exactly the refusals, with their reasons and report digests', () => {
    expect(refusalOffers(full.pack)).toEqual(['urn:offer:ca-negotiation', 'urn:offer:eu-transfer']);
    const [first] = full.pack.refusals;
    expect(first).toMatchObject({ stage: 'negotiation', outcome: 'not-applicable', counterpartyDid: run.consumers.ca.did, jurisdiction: 'ca' });
    expect(first?.reasons[0]).toMatchObject({ code: 'SOV_POLICY_CONSTRAINT_UNSATISFIED', rule: '$.permission[0]', constraint: '$.permission[0].constraint[0]' });
    expect(first?.reportDigest).toMatch(/^sha-256:[0-9a-f]{64}$/);
  });

  it('has the key rotation, the profile in force and a verified audit log with its signed checkpoint', () => {
    const p = full.pack;
    expect(p.keyEvents.map((k) => k.type)).toEqual(['key.rotated']);
    expect(p.jurisdictionProfile).toMatchObject({ partner: 'uk', dataProtection: { label: 'UK GDPR and the Data Protection Act 2018' }, export: { maxLevel: 2 } });
    expect(p.jurisdictionProfile.disclaimer).toMatch(/not legal advice/);
    expect(p.auditLog).toMatchObject({ verified: true, problems: [] });
    expect(p.auditLog.checkpoint?.seq).toBe(p.auditLog.head?.seq);
    expect(p.auditLog.checkpoint?.headHash).toBe(p.auditLog.head?.hash);
    expect(p.auditLog.checkpoint?.verificationMethod).toBe(`${run.identity.did}#${run.kms.activeSigningKey().keyId}`);
  });

  it('does not contain the transfer whose transaction rolled back, nor its state change', async () => {
    expect(JSON.stringify(full.pack)).not.toContain('transfer-4');
    expect(await run.db.get('SELECT id FROM transfer WHERE id = ?', ['urn:uuid:transfer-4'])).toBeUndefined();
    expect(unwrap(await run.audit.search({ subject: 'urn:uuid:transfer-4' })).entries).toEqual([]);
  });

  it('records its own generation in the audit log', async () => {
    const [entry] = unwrap(await run.audit.search({ type: 'compliance.report', limit: 1 })).entries;
    expect(entry?.details).toMatchObject({ since: SINCE, counts: full.pack.counts });
  });
});

describe('filters', () => {
  it('--partner keeps only that partner\'s transfers and refusals, by partner id or DID; key events stay', async () => {
    const ca = await pack(SINCE, 'ca');
    expect(transferIds(ca)).toEqual(['urn:uuid:transfer-1']);
    expect(refusalOffers(ca)).toEqual(['urn:offer:ca-negotiation']);
    expect(ca.keyEvents).toHaveLength(1);
    const eu = await pack(SINCE, run.consumers.eu.did);
    expect(transferIds(eu)).toEqual(['urn:uuid:transfer-2']);
    expect(refusalOffers(eu)).toEqual(['urn:offer:eu-transfer']);
    const au = await pack(SINCE, 'au');
    expect([transferIds(au), refusalOffers(au)]).toEqual([['urn:uuid:transfer-3'], []]);
  });

  it('since includes an entry at exactly that instant and excludes one a millisecond earlier', async () => {
    expect(transferIds(await pack(SINCE))).toEqual(['urn:uuid:transfer-1', 'urn:uuid:transfer-2', 'urn:uuid:transfer-3']);
    expect(transferIds(await pack('2026-03-01T00:00:00.001Z'))).toEqual(['urn:uuid:transfer-2', 'urn:uuid:transfer-3']);
    expect(transferIds(await pack('2026-02-28T23:59:59.999Z'))[0]).toBe('urn:uuid:transfer-0');
  });

  it('refuses a malformed or future period and a malformed partner', async () => {
    const base = { audit: run.audit, identity: run.identity, profile: run.profile, clock: run.clock };
    for (const since of ['yesterday', '2026-13-01', '2030-01-01']) {
      expect(await buildEvidencePack({ ...base, since })).toMatchObject({ ok: false, code: 'SOV_COMPLIANCE_PERIOD_INVALID' });
    }
    expect(await buildEvidencePack({ ...base, since: SINCE, partner: 'CA; drop' })).toMatchObject({ ok: false, code: 'SOV_COMPLIANCE_PERIOD_INVALID' });
  });
});

describe('signature', () => {
  it('is a ComplianceEvidenceCredential that @digitalbazaar/vc verifies with its own suite and loader', async () => {
    expect(full.credential['@context']).toEqual([VC_V2_CONTEXT, COMPLIANCE_CONTEXT_V1]);
    expect(full.credential.type).toEqual(['VerifiableCredential', 'ComplianceEvidenceCredential']);
    const result = await vc.verifyCredential({ credential: full.credential, suite: independentSuite(), documentLoader: independentLoader(run.web), now: new Date(run.clock.now()) });
    expect(result.error).toBeUndefined();
    expect(result.verified).toBe(true);
  });

  it('verifyEvidencePack accepts it, checkpoint signature included', async () => {
    const verified = await verifyEvidencePack(full.credential, verifierOptions());
    expect(verified.errors).toEqual([]);
    expect(verified.verified && verified.pack.outbound).toHaveLength(3);
  });

  it('a tampered pack is refused, independently and by verifyEvidencePack', async () => {
    const tampered = structuredClone(full.credential) as typeof full.credential & { credentialSubject: { evidencePack: EvidencePack } };
    tampered.credentialSubject.evidencePack.refusals.pop();
    const independent = await vc.verifyCredential({ credential: tampered, suite: independentSuite(), documentLoader: independentLoader(run.web), now: new Date(run.clock.now()) });
    expect(independent.verified).toBe(false);
    const ours = await verifyEvidencePack(tampered, verifierOptions());
    expect(ours.verified).toBe(false);
    expect(ours.errors[0]?.code).toBe('SOV_IDENTITY_PROOF_INVALID');
  });

  it('a correctly signed pack with a forged checkpoint is refused', async () => {
    const subject = structuredClone(full.credential.credentialSubject) as { evidencePack: EvidencePack };
    const checkpoint = subject.evidencePack.auditLog.checkpoint;
    if (checkpoint === null) throw new Error('no checkpoint');
    checkpoint.headHash = 'f'.repeat(64);
    const { proof: _proof, ...unsigned } = full.credential;
    const resigned = unwrap(await run.identity.issue({ ...unsigned, credentialSubject: subject }));
    const ours = await verifyEvidencePack(resigned, verifierOptions());
    expect(ours.verified).toBe(false);
    expect(ours.errors[0]?.code).toBe('SOV_COMPLIANCE_CHECKPOINT_INVALID');
  });
});

describe('HTML rendering', () => {
  it('escapes hostile strings and runs no script', () => {
    const html = renderEvidencePackHtml(full);
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain("default-src 'none'");
    for (const text of ['urn:uuid:transfer-1', 'urn:offer:eu-transfer', 'key.rotated', 'UK GDPR and the Data Protection Act 2018', 'Chain VERIFIED', full.pack.auditLog.checkpoint?.headHash ?? '?']) {
      expect(html).toContain(text);
    }
  });
});
