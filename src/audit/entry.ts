/**
 * Audit entries and their hash chain. An entry's hash is SHA-256 over a fixed-order JSON
 * array of every stored field (as stored: subjects and details as their canonical JSON
 * text) plus the previous entry's hash, so changing, removing, inserting or reordering an
 * entry breaks the chain from that point (issue 5 "Audit log").
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { auditEventTypes, type AuditEventType } from './events.js';
import { canonicalJson, type JsonValue } from './canonical-json.js';

/** `prevHash` of entry 1. */
export const GENESIS_HASH = '0'.repeat(64);

const ENTRY_HASH_TAG = 'sov-audit-entry/1';

export const auditEntryInputSchema = z.strictObject({
  /** Who caused the event: a DID (a partner connector, our own connector) or `admin:<name>`. */
  actor: z.string().regex(/^(did:[a-z0-9]+:\S+|admin:\S+)$/, 'a DID or admin:<name>'),
  type: z.enum(auditEventTypes),
  /** Ids the event is about: agreement, transfer, dataset, key, credential, … */
  subjects: z.array(z.string().min(1).max(512)).max(32).default([]),
  /** Digest of the decision report or data the event refers to, e.g. `sha256:<hex>`. */
  digest: z.string().min(1).max(256).optional(),
  /** Free structured context (state names, reasons, counts); JSON only. */
  details: z.record(z.string(), z.json()).default({}),
});

export type AuditEntryInput = z.input<typeof auditEntryInputSchema>;
type ValidEntryInput = z.output<typeof auditEntryInputSchema>;

const ACTOR = /^(did:[a-z0-9]+:\S+|admin:\S+)$/;
const EVENT_TYPES: ReadonlySet<string> = new Set(auditEventTypes);
const INPUT_KEYS: ReadonlySet<string> = new Set(['actor', 'type', 'subjects', 'digest', 'details']);

/**
 * The entry schema's rules written out by hand: every entry a protocol step appends passes
 * here, and the zod parse cost a quarter of an append (profiled on the DSP negotiation
 * bench). Conservative: anything it does not plainly accept goes through the schema, which
 * then throws its usual error (or accepts and normalises), so the rules stay the schema's.
 */
function validInput(input: AuditEntryInput): ValidEntryInput {
  const { actor, type, subjects, digest, details } = input;
  const plain =
    typeof actor === 'string' && ACTOR.test(actor) && typeof type === 'string' && EVENT_TYPES.has(type) &&
    (subjects === undefined || validSubjects(subjects)) &&
    (digest === undefined || (typeof digest === 'string' && digest.length >= 1 && digest.length <= 256)) &&
    (details === undefined || isJsonObject(details)) &&
    Object.keys(input).every((key) => INPUT_KEYS.has(key));
  if (!plain) return auditEntryInputSchema.parse(input);
  const valid: ValidEntryInput = { actor, type: type as ValidEntryInput['type'], subjects: subjects ?? [], details: (details ?? {}) as ValidEntryInput['details'] };
  if (digest !== undefined) valid.digest = digest;
  return valid;
}

function validSubjects(subjects: unknown): boolean {
  if (!Array.isArray(subjects) || subjects.length > 32) return false;
  for (const subject of subjects) if (typeof subject !== 'string' || subject.length < 1 || subject.length > 512) return false;
  return true;
}

function isJsonObject(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return false;
  for (const member of Object.values(value)) if (!isJsonValue(member)) return false;
  return true;
}

function isJsonValue(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonValue);
  return isJsonObject(value);
}

/** An entry as stored: every field the hash covers, subjects and details as canonical JSON text. */
export interface AuditRecord {
  seq: number;
  /** ISO-8601 UTC from the injected clock. */
  time: string;
  actor: string;
  type: string;
  subjects: string;
  digest: string | null;
  details: string;
  prevHash: string;
  hash: string;
}

/** An entry as callers read it. */
export interface AuditEntry {
  seq: number;
  time: string;
  actor: string;
  type: AuditEventType | string;
  subjects: string[];
  digest: string | null;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/**
 * Builds the stored record for `input` as entry `seq` after `prevHash`, and the entry as
 * callers read it (from the validated input: no need to parse back the JSON just written).
 * Invalid input is a bug: throws.
 */
export function sealEntry(input: AuditEntryInput, seq: number, time: string, prevHash: string): { record: AuditRecord; entry: AuditEntry } {
  const valid = validInput(input);
  const unsealed = {
    seq,
    time,
    actor: valid.actor,
    type: valid.type,
    subjects: canonicalJson(valid.subjects),
    digest: valid.digest ?? null,
    details: canonicalJson(valid.details as JsonValue),
    prevHash,
  };
  const record = { ...unsealed, hash: entryHash(unsealed) };
  return { record, entry: { ...record, subjects: valid.subjects, details: valid.details } };
}

export function entryHash(record: Omit<AuditRecord, 'hash'>): string {
  const fields = [ENTRY_HASH_TAG, record.seq, record.time, record.actor, record.type, record.subjects, record.digest, record.details, record.prevHash];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

/** Decodes a stored record for display; unreadable JSON (a tampered row) is shown raw, not thrown. */
export function decodeRecord(record: AuditRecord): AuditEntry {
  return { ...record, subjects: parseOr(record.subjects, [record.subjects]), details: parseOr(record.details, { unparsable: record.details }) };
}

function parseOr<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}
