/**
 * What offerings need from outside (conventions §2): persistence (the SQL adapter is in
 * src/store/repositories) and a policy resolver (template instantiation and compilation,
 * `createOfferingPolicyResolver` over src/policy).
 */
import type { Result } from '../errors/index.js';
import type { Offering, OfferingChange, PolicySource } from './offering.js';

export interface OfferingListQuery {
  status?: Offering['status'];
  /** 1..500, default 50. */
  limit?: number;
  cursor?: string;
}

export interface OfferingPage {
  items: Offering[];
  nextCursor?: string;
}

/**
 * Contract: `commit` inserts when `expectedVersion` is null (SOV_OFFERING_CONFLICT if the id or
 * offer id exists) and otherwise updates only when the stored version equals it (else
 * SOV_OFFERING_CONFLICT, nothing written); returned records are fresh copies.
 */
export interface OfferingRepository {
  get(id: string): Promise<Offering | undefined>;
  /** The offering whose current offer has this `@id`, active or retired. */
  findByOfferId(offerId: string): Promise<Offering | undefined>;
  /** Newest first; a malformed cursor is SOV_BAD_REQUEST. */
  list(query?: OfferingListQuery): Promise<Result<OfferingPage>>;
  commit(change: OfferingChange): Promise<Result<void>>;
}

export interface OfferingPolicyResolver {
  /** The complete ODRL document for `source`, or SOV_OFFERING_POLICY_INVALID with the reasons. */
  resolve(source: PolicySource): Promise<Result<Record<string, unknown>>>;
}
