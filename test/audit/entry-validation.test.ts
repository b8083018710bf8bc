import { describe, expect, it } from 'vitest';
import { auditEntryInputSchema, GENESIS_HASH, sealEntry, type AuditEntryInput } from '../../src/audit/entry.js';

const TIME = '2026-01-01T00:00:00.000Z';
const base: AuditEntryInput = { actor: 'did:web:uk.example', type: 'negotiation.state', subjects: ['neg-1', 'agr-1'], digest: 'sha256:ab', details: { state: 'AGREED', n: 2, nested: [{ a: null, b: true }] } };

// sealEntry checks the common shape by hand and leaves the rest to the schema: it must refuse
// exactly what the schema refuses and seal what it accepts the same way.
const refused: [string, unknown][] = [
  ['an actor neither DID nor admin', { ...base, actor: 'mallory' }],
  ['an unknown event type', { ...base, type: 'no.such.event' }],
  ['an unknown key', { ...base, extra: 1 }],
  ['an empty subject', { ...base, subjects: [''] }],
  ['a subject over 512 characters', { ...base, subjects: ['x'.repeat(513)] }],
  ['33 subjects', { ...base, subjects: Array.from({ length: 33 }, (_, i) => `s${i}`) }],
  ['a non-string subject', { ...base, subjects: [1] }],
  ['an empty digest', { ...base, digest: '' }],
  ['a digest over 256 characters', { ...base, digest: 'x'.repeat(257) }],
  ['details that are an array', { ...base, details: [1] }],
  ['a NaN in details', { ...base, details: { n: Number.NaN } }],
  ['an Infinity deep in details', { ...base, details: { a: [{ n: Number.POSITIVE_INFINITY }] } }],
  ['undefined in details', { ...base, details: { u: undefined } }],
  ['a Date in details', { ...base, details: { at: new Date(0) } }],
  ['a function in details', { ...base, details: { f: () => 1 } }],
];

describe('sealEntry validation', () => {
  it.each(refused)('refuses %s, as the entry schema does', (_, input) => {
    expect(auditEntryInputSchema.safeParse(input).success).toBe(false);
    expect(() => sealEntry(input as AuditEntryInput, 1, TIME, GENESIS_HASH)).toThrow();
  });

  it.each([
    ['a full entry', base],
    ['defaults for subjects and details', { actor: 'admin:alice', type: 'admin.login' }],
    ['an explicit undefined digest', { ...base, digest: undefined }],
  ] as [string, AuditEntryInput][])('seals %s as the schema-parsed input would be sealed', (_, input) => {
    const sealed = sealEntry(input, 7, TIME, GENESIS_HASH);
    const viaSchema = sealEntry(auditEntryInputSchema.parse(input), 7, TIME, GENESIS_HASH);
    expect(sealed).toEqual(viaSchema);
    expect(sealed.entry.subjects).toEqual(auditEntryInputSchema.parse(input).subjects);
  });
});
