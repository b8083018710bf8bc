/**
 * Offerings: the datasets this connector offers — DCAT metadata, a policy (a contract template
 * with parameters, or inline ODRL, resolved and compiled on save), classification, personal-data
 * flag, data source reference and anonymisation declaration reference — active until retired,
 * versioned for optimistic concurrency. Commands validate input with zod and commit through the
 * `OfferingRepository` port (SQL adapter in src/store/repositories, whose commit hook writes the
 * audit entry in the same transaction). `offeringOfferCatalog` implements the negotiation's
 * `OfferCatalog`, and `dspOfferOf` gives the DSP Offer an offering shows in the catalogue.
 */
export type { Offering, OfferingChange, OfferingChangeKind, PolicySource } from './offering.js';
export type { OfferingRepository, OfferingListQuery, OfferingPage, OfferingPolicyResolver } from './ports.js';
export { createOfferingSchema, updateOfferingSchema, type CreateOfferingInput, type UpdateOfferingInput } from './schema.js';
export { createOffering, updateOffering, retireOffering, type OfferingDeps, type ChangeOptions } from './commands.js';
export { dspOfferOf, offeringOfferCatalog } from './offer-catalog.js';
export { createOfferingPolicyResolver, type OfferingPolicyResolverOptions } from './policy-resolver.js';
