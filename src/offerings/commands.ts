/**
 * Managing offerings (issue 6 "Management API": create / list / show / update / retire, each
 * validated and audited). Every change is one repository commit with optimistic versioning;
 * the repository's commit hook writes the audit entry in the same transaction. A retired
 * offering leaves the catalogue and accepts no further change.
 */
import { isoTime, type Clock, type IdGenerator } from '../clock/index.js';
import { fail, ok, type Result } from '../errors/index.js';
import type { Offering, OfferingChange, OfferingChangeKind, PolicySource } from './offering.js';
import type { OfferingPolicyResolver, OfferingRepository } from './ports.js';
import { createOfferingSchema, parseInput, updateOfferingSchema } from './schema.js';

export interface OfferingDeps {
  repository: OfferingRepository;
  policies: OfferingPolicyResolver;
  clock: Clock;
  ids: IdGenerator;
}

/** Who asks (e.g. `admin:alice`), recorded on the change for the audit entry. */
export interface ChangeOptions {
  actor?: string;
}

export async function createOffering(deps: OfferingDeps, input: unknown, options: ChangeOptions = {}): Promise<Result<Offering>> {
  const parsed = parseInput(createOfferingSchema, input);
  if (!parsed.ok) return parsed;
  const { id, policy, ...rest } = parsed.value;
  const document = await deps.policies.resolve(policy);
  if (!document.ok) return document;
  const now = isoTime(deps.clock);
  const offering: Offering = {
    ...rest,
    id: id ?? deps.ids.urn(),
    offerId: deps.ids.urn(),
    policy: { source: policy as PolicySource, document: document.value },
    status: 'active',
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  return save(deps, 'created', offering, null, options);
}

export async function updateOffering(deps: OfferingDeps, id: string, input: unknown, options: ChangeOptions = {}): Promise<Result<Offering>> {
  const parsed = parseInput(updateOfferingSchema, input);
  if (!parsed.ok) return parsed;
  const { expectedVersion, policy, ...fields } = parsed.value;
  const current = await changeable(deps, id, expectedVersion);
  if (!current.ok) return current;
  const next: Offering = { ...current.value, ...fields };
  if (policy !== undefined) {
    const document = await deps.policies.resolve(policy);
    if (!document.ok) return document;
    // A new policy is a new offer: negotiations naming the old offer id no longer match it.
    next.policy = { source: policy as PolicySource, document: document.value };
    next.offerId = deps.ids.urn();
  }
  return save(deps, 'updated', { ...next, updatedAt: isoTime(deps.clock), version: current.value.version + 1 }, current.value.version, options);
}

export async function retireOffering(deps: OfferingDeps, id: string, options: ChangeOptions & { expectedVersion?: number } = {}): Promise<Result<Offering>> {
  const current = await changeable(deps, id, options.expectedVersion);
  if (!current.ok) return current;
  const now = isoTime(deps.clock);
  const retired: Offering = { ...current.value, status: 'retired', retiredAt: now, updatedAt: now, version: current.value.version + 1 };
  return save(deps, 'retired', retired, current.value.version, options);
}

/** The offering, if it exists, is active, and (when given) is still at `expectedVersion`. */
async function changeable(deps: OfferingDeps, id: string, expectedVersion: number | undefined): Promise<Result<Offering>> {
  const current = await deps.repository.get(id);
  if (current === undefined) return fail('SOV_OFFERING_NOT_FOUND', `No offering ${id}`, { id });
  if (current.status === 'retired') return fail('SOV_OFFERING_RETIRED', `Offering ${id} was retired at ${current.retiredAt ?? '?'}`, { id });
  if (expectedVersion !== undefined && expectedVersion !== current.version) {
    return fail('SOV_OFFERING_CONFLICT', `Offering ${id} is at version ${current.version}, not ${expectedVersion}; reload and retry`, {
      id,
      version: current.version,
      expectedVersion,
    });
  }
  return ok(current);
}

async function save(deps: OfferingDeps, kind: OfferingChangeKind, offering: Offering, expectedVersion: number | null, options: ChangeOptions): Promise<Result<Offering>> {
  const change: OfferingChange = { kind, offering, expectedVersion, ...(options.actor === undefined ? {} : { actor: options.actor }) };
  const committed = await deps.repository.commit(change);
  return committed.ok ? ok(offering) : committed;
}
