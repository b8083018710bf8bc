/**
 * The audited protocol repositories tell the state a change leaves from the versions they have
 * returned or committed (src/connector/dsp-audit.ts): a view is used only for exactly the
 * version a commit expects, and the entries it yields are those of the record itself.
 */
import { describe, expect, it } from 'vitest';
import { auditedVersionOf, protocolAuditEntries, RecentVersions } from '../../src/connector/dsp-audit.js';

const record = (version: number, state: string, received: object = {}) => ({
  id: 'urn:uuid:p-1',
  role: 'provider',
  state,
  counterpartyDid: 'did:web:peer.example',
  received,
  version,
});

describe('RecentVersions', () => {
  it('answers only for the exact version remembered last for a record', () => {
    const versions = new RecentVersions();
    versions.remember(record(2, 'REQUESTED'));
    expect(versions.at('urn:uuid:p-1', 2)).toEqual(auditedVersionOf(record(2, 'REQUESTED')));
    expect(versions.at('urn:uuid:p-1', 1)).toBeUndefined();
    versions.remember(record(3, 'AGREED'));
    expect(versions.at('urn:uuid:p-1', 2)).toBeUndefined();
    expect(versions.at('urn:uuid:other', 3)).toBeUndefined();
  });

  it('forgets the least recently remembered record beyond its capacity', () => {
    const versions = new RecentVersions(2);
    for (const id of ['a', 'b', 'c']) versions.remember({ ...record(1, 'REQUESTED'), id });
    expect(versions.at('a', 1)).toBeUndefined();
    expect(versions.at('b', 1)).toBeDefined();
    expect(versions.at('c', 1)).toBeDefined();
  });
});

describe('protocolAuditEntries from a remembered version', () => {
  it('gives the same entries as from the record it was remembered from', () => {
    const before = record(1, 'REQUESTED', { ContractRequestMessage: { digest: 'd1', status: 201 } });
    const after = { ...record(2, 'VERIFIED', { ...before.received, ContractAgreementVerificationMessage: { digest: 'd2', status: 200 } }) };
    const entries = protocolAuditEntries('negotiation', auditedVersionOf(before), after, 'did:web:self.example', ['urn:uuid:p-1']);
    expect(entries).toEqual([
      {
        actor: 'did:web:peer.example',
        type: 'negotiation.state',
        subjects: ['urn:uuid:p-1'],
        details: { role: 'provider', from: 'REQUESTED', to: 'VERIFIED', counterparty: 'did:web:peer.example' },
      },
    ]);
    // Our own change (nothing newly received) is ours.
    const ours = protocolAuditEntries('negotiation', auditedVersionOf(after), record(3, 'FINALIZED', after.received), 'did:web:self.example', ['urn:uuid:p-1']);
    expect(ours[0]?.actor).toBe('did:web:self.example');
    expect(protocolAuditEntries('negotiation', auditedVersionOf(after), record(3, 'VERIFIED', after.received), 'did:web:self.example', [])).toEqual([]);
  });
});
