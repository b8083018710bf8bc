/**
 * The management API's own request schemas (zod) — bodies and queries the domain does not
 * already validate. Routes validate with these and the OpenAPI document is generated from
 * them (`z.toJSONSchema`), so the document and the validation cannot drift apart. The
 * offering bodies and the audit search reuse their capability's schemas.
 */
import { z } from 'zod';
import { createOfferingSchema } from '../../offerings/index.js';

const limit = z.number().int().min(1).max(500).optional().describe('Page size, 1..500 (default 50)');
const cursor = z.string().min(1).max(512).optional().describe('`nextCursor` of the previous page');

export const offeringListQuerySchema = z.strictObject({
  status: z.enum(['active', 'retired']).optional().describe('Only offerings in this status'),
  limit,
  cursor,
});

/** PUT replaces every field; fields left out (description, anonymisation) are removed. */
export const replaceOfferingSchema = createOfferingSchema.omit({ id: true }).extend({
  expectedVersion: z.number().int().positive().describe('The version the admin read; refused if the offering changed since'),
});

export const retireOfferingSchema = z.strictObject({
  expectedVersion: z.number().int().positive().optional().describe('Refuse if the offering changed since this version'),
});

/** DIDs are did:<method>:<id>; URLs are http(s). */
const did = z.string().max(2000).regex(/^did:[a-z0-9]+:\S+$/, 'a DID such as did:web:host%3A7101');
const httpUrl = z.string().max(2000).regex(/^https?:\/\/\S+$/, 'an http(s) URL');

/** A partner is named by its DID (resolved to its DSP endpoint) or by its DSP endpoint URL. */
const namesPartner = (value: { did?: string; url?: string; providerDid?: string }): boolean =>
  value.did !== undefined || value.providerDid !== undefined || value.url !== undefined;

export const catalogFetchSchema = z.strictObject({
  did: did.optional().describe("The partner connector's DID"),
  url: httpUrl.optional().describe("The partner's DSP endpoint URL (used when no DID is given)"),
  cursor: z.string().min(1).max(2000).optional().describe('Paging token of the previous catalogue page'),
}).refine(namesPartner, 'name the partner by did or url');

const iri = z.string().min(1).max(2000).regex(/^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/, 'an IRI such as urn:uuid:…');

export const negotiationStartSchema = z.strictObject({
  providerDid: did.optional().describe("The provider's DID"),
  url: httpUrl.optional().describe("The provider's DSP endpoint URL (when no DID is given)"),
  offerId: iri.describe('The `@id` of the offer in the provider catalogue'),
  datasetId: iri.describe('The dataset the offer is for (the agreement target)'),
  purpose: z.string().min(1).max(2000).optional()
    .describe('The purpose stated to the provider and bound into the agreement: a purpose IRI of vocab/sov-purposes.jsonld or its short name, e.g. research/health'),
  offer: z.looseObject({ '@id': iri, '@type': z.literal('Offer') }).optional()
    .describe(
      "The offer's rules as the provider published them elsewhere (e.g. shared by its admin), for an offer its catalogue does not show us; " +
        'the provider still evaluates the request and a refusal comes back with its reasons. Default: taken from the provider catalogue',
    ),
})
  .refine(namesPartner, 'name the provider by providerDid or url')
  .refine((body) => body.offer === undefined || body.offer['@id'] === body.offerId, { message: 'offer.@id must equal offerId', path: ['offer', '@id'] });

export const processListQuerySchema = z.strictObject({
  state: z.string().regex(/^[A-Z]+$/).optional().describe('Only processes in this state, e.g. FINALIZED'),
  limit,
  cursor,
});

/** Why a process is terminated or suspended: told to the counterparty (DSP code + reason). */
export const codeReasonSchema = z.strictObject({
  code: z.string().min(1).max(100).optional().describe('A machine-readable reason code sent to the counterparty'),
  reason: z.string().min(1).max(1000).optional().describe('Why, in words, sent to the counterparty'),
});

export const transferStartSchema = z.strictObject({
  agreementId: iri.describe('The agreement the transfer is for'),
  format: z.string().min(1).max(100).optional().describe('A distribution format of the dataset: HttpData-PULL (default; we fetch from the provider) or HttpData-PUSH (the provider sends to a sink we open)'),
});

export const agreementListQuerySchema = z.strictObject({ limit, cursor });

/** Resuming takes no parameters: the TransferStartMessage that resumes carries no code or reason (dsp.md §3). */
export const resumeSchema = z.strictObject({});
