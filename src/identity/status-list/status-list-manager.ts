/**
 * Issuer side of Bitstring Status List 1.0 (identity.md §4, §7.4): allocates a random index per
 * credential and flips its bit on revocation (status-list-transitions.ts), and serves the list as a credential signed by the same issuer with a
 * short `validUntil`, re-signed whenever a bit changed or the last copy is half-way to expiry.
 * Operations are serialised so two concurrent allocations never read the same state.
 */
import { randomInt } from 'node:crypto';
import { createCredential, createList } from '@digitalbazaar/vc-bitstring-status-list';
import type { Clock } from '../../clock/index.js';
import { ok, type Result } from '../../errors/index.js';
import { issueCredential, type StatusEntryAllocator } from '../credentials.js';
import type { DocumentLoader } from '../document-loader.js';
import type { ProofSigner } from '../proof-suites.js';
import { VC_V2_CONTEXT } from '../standard-contexts.js';
import {
  MIN_STATUS_LIST_LENGTH,
  type StatusListEntry,
  type StatusListRepository,
  type StatusListState,
  type StatusPurpose,
} from './status-list-state.js';
import { allocateEntry, indexOf, setStatus } from './status-list-transitions.js';

export interface StatusListManagerOptions {
  /** Where the list credential is published; also its `id`. */
  listUrl: string;
  issuerDid: string;
  /** A signer, or a function giving the current one (so a rotated key signs from then on). */
  signer: ProofSigner | (() => ProofSigner);
  documentLoader: DocumentLoader;
  repository: StatusListRepository;
  clock: Clock;
  statusPurpose?: StatusPurpose;
  /** Default 131,072 (the BSL minimum). */
  length?: number;
  /** Lifetime of each signed list credential; default 6 hours (identity.md §7.1: hours). */
  validityMs?: number;
  /** `ttl` advertised to verifiers for caching; default 5 minutes. */
  ttlMs?: number;
  /** Uniform random integer in [0, max); default node:crypto randomInt. */
  randomIndex?: (max: number) => number;
}

export interface StatusListManager extends StatusEntryAllocator {
  revoke(credentialId: string): Promise<Result<{ index: number }>>;
  isRevoked(credentialId: string): Promise<Result<boolean>>;
  /** The current signed list credential (re-signed when needed). */
  listCredential(): Promise<Result<Record<string, unknown>>>;
}

const DEFAULT_VALIDITY_MS = 6 * 3_600_000;

/** Signs the list as it stands: same issuer as its credentials, short validUntil, a caching ttl. */
async function signList(current: StatusListState, options: StatusListManagerOptions): Promise<Result<StatusListState>> {
  const list = await createList({ length: current.length });
  for (const index of current.revoked) list.setStatus(index, true);
  const unsigned = await createCredential({ id: current.listUrl, list, statusPurpose: current.statusPurpose });
  const now = options.clock.now();
  const validUntil = new Date(now + (options.validityMs ?? DEFAULT_VALIDITY_MS)).toISOString();
  const credentialSubject = { ...(unsigned['credentialSubject'] as Record<string, unknown>), ttl: options.ttlMs ?? 5 * 60_000 };
  const credential = { ...unsigned, '@context': [VC_V2_CONTEXT], issuer: options.issuerDid, validFrom: new Date(now).toISOString(), validUntil, credentialSubject };
  const signer = typeof options.signer === 'function' ? options.signer() : options.signer;
  const signed = await issueCredential({ credential, signer, documentLoader: options.documentLoader, clock: options.clock });
  if (!signed.ok) return signed;
  return ok({ ...current, signed: { revision: current.revision, validUntil, credential: signed.value } });
}

/** A list is re-signed after any change, and once its copy is half-way to expiry. */
function needsSigning(current: StatusListState, now: number, validityMs: number): boolean {
  return current.signed === undefined || current.signed.revision !== current.revision || Date.parse(current.signed.validUntil) - now < validityMs / 2;
}

/** Runs operations one after another, so no two read the same state and both save. */
function serialQueue(): <T>(operation: () => Promise<T>) => Promise<T> {
  let queue: Promise<unknown> = Promise.resolve();
  return (operation) => {
    const next = queue.then(operation, operation);
    queue = next.catch(() => undefined);
    return next;
  };
}

export function createStatusListManager(options: StatusListManagerOptions): StatusListManager {
  const purpose = options.statusPurpose ?? 'revocation';
  const length = options.length ?? MIN_STATUS_LIST_LENGTH;
  if (length < MIN_STATUS_LIST_LENGTH) throw new Error(`a status list needs at least ${MIN_STATUS_LIST_LENGTH} entries`);
  const validityMs = options.validityMs ?? DEFAULT_VALIDITY_MS;
  const randomIndex = options.randomIndex ?? ((max: number) => randomInt(max));
  const exclusive = serialQueue();

  async function state(): Promise<StatusListState> {
    const stored = await options.repository.load(options.listUrl);
    return stored ?? { listUrl: options.listUrl, statusPurpose: purpose, length, allocations: {}, revoked: [], revision: 0 };
  }

  /** Runs `change` on the current state under the lock and saves the new state it returns. */
  function update<T>(change: (current: StatusListState) => Result<{ state: StatusListState } & T>): Promise<Result<T>> {
    return exclusive(async () => {
      const changed = change(await state());
      if (!changed.ok) return changed;
      const { state: next, ...rest } = changed.value;
      await options.repository.save(next);
      return ok(rest as unknown as T);
    });
  }

  return {
    allocate: async (credentialId) => {
      const allocated = await update<{ entry: StatusListEntry }>((current) => allocateEntry(current, credentialId, randomIndex));
      return allocated.ok ? ok(allocated.value.entry) : allocated;
    },
    revoke: (credentialId) => update<{ index: number }>((current) => setStatus(current, credentialId)),
    isRevoked: async (credentialId) => {
      const current = await state();
      const index = indexOf(current, credentialId);
      return index.ok ? ok(current.revoked.includes(index.value)) : index;
    },
    listCredential: () =>
      exclusive(async (): Promise<Result<Record<string, unknown>>> => {
        const current = await state();
        if (!needsSigning(current, options.clock.now(), validityMs) && current.signed !== undefined) return ok(current.signed.credential);
        const signed = await signList(current, options);
        if (!signed.ok) return signed;
        await options.repository.save(signed.value);
        return ok(signed.value.signed?.credential ?? {});
      }),
  };
}
