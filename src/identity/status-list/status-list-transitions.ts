/**
 * Pure changes to an issuer's status list state (BSL §2.1, identity.md §4): allocate a random
 * free index for a credential (indexes are never reused, so an index can never come to mean
 * another credential) and set a credential's bit. The manager persists what these return.
 */
import { fail, ok, type Result } from '../../errors/index.js';
import type { StatusListEntry, StatusListState } from './status-list-state.js';

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

export function allocateEntry(
  state: StatusListState,
  credentialId: string,
  randomIndex: (max: number) => number,
): Result<{ state: StatusListState; entry: StatusListEntry }> {
  if (state.allocations[credentialId] !== undefined) {
    return fail('SOV_CONFLICT', `credential ${credentialId} already has a status entry in ${state.listUrl}`);
  }
  const index = pickFreeIndex(state, randomIndex);
  if (index === undefined) return fail('SOV_IDENTITY_STATUS_LIST_FULL', `status list ${state.listUrl} has no free index`);
  const entry: StatusListEntry = {
    id: `${state.listUrl}#${index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: state.statusPurpose,
    statusListIndex: String(index),
    statusListCredential: state.listUrl,
  };
  return ok({ state: { ...state, allocations: { ...state.allocations, [credentialId]: index } }, entry });
}

export function indexOf(state: StatusListState, credentialId: string): Result<number> {
  const index = state.allocations[credentialId];
  return index === undefined
    ? fail('SOV_IDENTITY_CREDENTIAL_UNKNOWN', `no status entry for credential ${credentialId} in ${state.listUrl}`)
    : ok(index);
}

/** Sets the credential's bit; idempotent (the revision only moves when a bit changes). */
export function setStatus(state: StatusListState, credentialId: string): Result<{ state: StatusListState; index: number }> {
  const index = indexOf(state, credentialId);
  if (!index.ok) return index;
  if (state.revoked.includes(index.value)) return ok({ state, index: index.value });
  const revoked = [...state.revoked, index.value].sort((a, b) => a - b);
  return ok({ state: { ...state, revoked, revision: state.revision + 1 }, index: index.value });
}
