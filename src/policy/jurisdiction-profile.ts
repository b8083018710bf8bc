/**
 * Jurisdiction profiles (design.md "Jurisdiction profiles"): one `jurisdiction.json` per
 * partner, validated here. Each maps its classification labels onto the common ordinal scale
 * (0 unclassified … 3 protected/confidential, 4 secret, 5 top secret), says the highest level
 * that may leave and to whom, where data and metadata may reside, and the legal basis shown in
 * reports. SECRET (4) and above can never be configured to leave: the schema refuses it.
 */
import { z } from 'zod';
import { fail, ok, type Result } from '../errors/index.js';
import { placeIri } from './iri.js';

/** The connector refuses anything at or above this common level outright. */
export const REFUSED_FROM_LEVEL = 4;

const partnerId = z.string().regex(/^[a-z]{2,8}$/, 'a partner id is 2-8 lowercase letters');
const placeId = z.string().regex(/^[a-z]{2,8}(\/[a-z]{2,8})?$/, 'a place is a partner id, optionally with a member (eu/de)');
const exportable = z.number().int().min(0).max(REFUSED_FROM_LEVEL - 1, 'levels at SECRET (4) and above never leave the connector');

export const jurisdictionProfileSchema = z
  .object({
    $schema: z.string().optional(),
    partner: partnerId,
    name: z.string().min(1),
    disclaimer: z.string().regex(/not legal advice/i, 'the disclaimer must say the file is not legal advice'),
    members: z.array(z.object({ id: partnerId, name: z.string().min(1) }).strict()).default([]),
    dataProtection: z
      .object({ regime: z.string().min(1), label: z.string().min(1), adequateRegimes: z.array(z.string().min(1)) })
      .strict(),
    securityFramework: z.object({ label: z.string().min(1), references: z.array(z.string()).default([]) }).strict(),
    classification: z
      .object({
        scheme: z.string().min(1),
        labels: z
          .array(z.object({ label: z.string().min(1), level: z.number().int().min(0).max(5), memberState: z.string().optional(), note: z.string().optional() }).strict())
          .min(1),
      })
      .strict(),
    export: z
      .object({
        maxLevel: exportable,
        releasableTo: z.array(z.object({ maxLevel: exportable, partners: z.array(z.union([partnerId, z.literal('*')])).min(1) }).strict()),
      })
      .strict(),
    residency: z.object({ data: z.array(placeId).min(1), metadata: z.array(placeId).min(1) }).strict(),
    legalBasis: z.string().min(1),
  })
  .strict()
  .refine((profile) => profile.export.releasableTo.every((rule) => rule.maxLevel <= profile.export.maxLevel), {
    message: 'a releasableTo level exceeds export.maxLevel',
    path: ['export', 'releasableTo'],
  });

export type JurisdictionProfile = z.infer<typeof jurisdictionProfileSchema>;

export interface JurisdictionProfiles {
  readonly byPartner: ReadonlyMap<string, JurisdictionProfile>;
  /** The partner a place IRI belongs to (its own place or a declared member), if any. */
  partnerOf(place: string): string | undefined;
}

function normaliseLabel(label: string): string {
  return label.toUpperCase().replace(/[\s_:-]+/g, ' ').trim();
}

/** A label of the profile's scheme → its common level (case, spaces, `-`, `:` and `_` ignored). */
export function levelOfLabel(profile: JurisdictionProfile, label: string): number | undefined {
  const wanted = normaliseLabel(label);
  return profile.classification.labels.find((entry) => normaliseLabel(entry.label) === wanted)?.level;
}

export function parseJurisdictionProfiles(entries: ReadonlyArray<{ source: string; json: unknown }>): Result<JurisdictionProfiles> {
  const byPartner = new Map<string, JurisdictionProfile>();
  const places = new Map<string, string>();
  for (const { source, json } of entries) {
    const parsed = jurisdictionProfileSchema.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
      return fail('SOV_POLICY_PROFILE_INVALID', `${source}: ${issues.join('; ')}`, { source, issues });
    }
    const profile = parsed.data;
    if (byPartner.has(profile.partner)) return fail('SOV_POLICY_PROFILE_INVALID', `${source}: partner ${profile.partner} is defined twice`, { source });
    byPartner.set(profile.partner, profile);
    places.set(placeIri(profile.partner), profile.partner);
    for (const member of profile.members) places.set(placeIri(`${profile.partner}/${member.id}`), profile.partner);
  }
  return ok({ byPartner, partnerOf: (place) => places.get(placeIri(place)) });
}
