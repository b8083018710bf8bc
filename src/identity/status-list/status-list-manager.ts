/**
 * Issuer side of Bitstring Status List 1.0 (identity.md §4, §7.4): allocates a random index per
 * credential (never reused, so an index cannot come to mean another credential), flips the
 * bit on revocation, and serves the list as a credential signed by the same issuer with a
 * short `validUntil`, re-signed whenever a bit changed or the last copy is half-way to expiry.
 * Operations are serialised so two concurrent allocations never read the same state.
 */
import { randomInt } from 'node:crypto';
import { createCredential, createList } from '@digitalbazaar/vc-bitstring-status-list';
import type { Clock } from '../../clock/index.js';
import { fail, ok, type Result } from '../../errors/index.js';
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

function pickFreeIndex(state: StatusListState, randomIndex: (max: number) => number): number | undefined {
  const used = new Set(Object.values(state.allocations));
  if (used.size >= state.length) return undefined;
  for (let attempt = 0; attempt < 32; attempt += 1) {
    const candidate = randomIndex(state.length);
    if (!used.has(candidate)) return candidate;
  }
  // Dense list: scan from a random start so the choice stays unpredictable.
  const start = randomIndex(state.length);
  for (let offset = 0; offset < state.length; offset += 1) {
    const candidate = (start + offset) % state.length;
    if (!used.has(candidate)) return candidate;
  }
  return undefined;
}

export function createStatusListManager(options: StatusListManagerOptions): StatusListManager {
  const purpose = options.statusPurpose ?? 'revocation';
  const length = options.length ?? MIN_STATUS_LIST_LENGTH;
  if (length < MIN_STATUS_LIST_LENGTH) throw new Error(`a status list needs at least ${MIN_STATUS_LIST_LENGTH} entries`);
  const validityMs = options.validityMs ?? 6 * 3_600_000;
  const randomIndex = options.randomIndex ?? ((max: number) => randomInt(max));
  let queue: Promise<unknown> = Promise.resolve();

  function exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const next = queue.then(operation, operation);
    queue = next.catch(() => undefined);
    return next;
  }

  async function state(): Promise<StatusListState> {
    const stored = await options.repository.load(options.listUrl);
    return stored ?? { listUrl: options.listUrl, statusPurpose: purpose, length, allocations: {}, revoked: [], revision: 0 };
  }

  async function sign(current: StatusListState): Promise<Result<StatusListState>> {
    const list = await createList({ length: current.length });
    for (const index of current.revoked) list.setStatus(index, true);
    const unsigned = await createCredential({ id: current.listUrl, list, statusPurpose: current.statusPurpose });
    const now = options.clock.now();
    const validUntil = new Date(now + validityMs).toISOString();
    const subject = { ...(unsigned['credentialSubject'] as Record<string, unknown>), ttl: options.ttlMs ?? 5 * 60_000 };
    const credential = { ...unsigned, '@context': [VC_V2_CONTEXT], issuer: options.issuerDid, validFrom: new Date(now).toISOString(), validUntil, credentialSubject: subject };
    const signer = typeof options.signer === 'function' ? options.signer() : options.signer;
    const signed = await issueCredential({ credential, signer, documentLoader: options.documentLoader, clock: options.clock });
    if (!signed.ok) return signed;
    return ok({ ...current, signed: { revision: current.revision, validUntil, credential: signed.value } });
  }

  const needsSigning = (current: StatusListState): boolean =>
    current.signed === undefined ||
    current.signed.revision !== current.revision ||
    Date.parse(current.signed.validUntil) - options.clock.now() < validityMs / 2;

  return {
    allocate: (credentialId) =>
      exclusive(async (): Promise<Result<StatusListEntry>> => {
        const current = await state();
        if (current.allocations[credentialId] !== undefined) {
          return fail('SOV_CONFLICT', `credential ${credentialId} already has a status entry in ${options.listUrl}`);
        }
        const index = pickFreeIndex(current, randomIndex);
        if (index === undefined) return fail('SOV_IDENTITY_STATUS_LIST_FULL', `status list ${options.listUrl} has no free index`);
        await options.repository.save({ ...current, allocations: { ...current.allocations, [credentialId]: index } });
        return ok({
          id: `${options.listUrl}#${index}`,
          type: 'BitstringStatusListEntry',
          statusPurpose: current.statusPurpose,
          statusListIndex: String(index),
          statusListCredential: options.listUrl,
        });
      }),
    revoke: (credentialId) =>
      exclusive(async (): Promise<Result<{ index: number }>> => {
        const current = await state();
        const index = current.allocations[credentialId];
        if (index === undefined) return fail('SOV_IDENTITY_CREDENTIAL_UNKNOWN', `no status entry for credential ${credentialId} in ${options.listUrl}`);
        if (!current.revoked.includes(index)) {
          const revoked = [...current.revoked, index].sort((a, b) => a - b);
          await options.repository.save({ ...current, revoked, revision: current.revision + 1 });
        }
        return ok({ index });
      }),
    isRevoked: async (credentialId) => {
      const current = await state();
      const index = current.allocations[credentialId];
      if (index === undefined) return fail('SOV_IDENTITY_CREDENTIAL_UNKNOWN', `no status entry for credential ${credentialId} in ${options.listUrl}`);
      return ok(current.revoked.includes(index));
    },
    listCredential: () =>
      exclusive(async (): Promise<Result<Record<string, unknown>>> => {
        const current = await state();
        if (!needsSigning(current) && current.signed !== undefined) return ok(current.signed.credential);
        const signed = await sign(current);
        if (!signed.ok) return signed;
        await options.repository.save(signed.value);
        return ok(signed.value.signed?.credential ?? {});
      }),
  };
}
