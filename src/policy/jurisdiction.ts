/**
 * Enforcing the provider's jurisdiction profile on top of an offer's own policy (issue 4: the
 * stricter wins). Checks, each reported with what was found and what was required:
 * classification known and below SECRET; release to the recipient's jurisdiction within the
 * profile's ceiling; data and metadata residency; and, for personal data (assumed unless the
 * world says `personalData: false`), an accepted data-protection regime.
 */
import type { ErrorCode } from '../errors/index.js';
import type { CompiledPolicy } from './compile.js';
import { evaluate } from './evaluate.js';
import { explain } from './explanation.js';
import { expandSov, placeIri, displayIri } from './iri.js';
import { REFUSED_FROM_LEVEL, levelOfLabel, type JurisdictionProfile, type JurisdictionProfiles } from './jurisdiction-profile.js';
import type { DecisionReport, JurisdictionCheck, JurisdictionReport, Reason } from './report.js';
import type { PolicyRequest, PolicyWorld } from './types.js';
import type { PolicyVocabulary } from './vocabulary.js';

interface Classification {
  label: string | null;
  level: number | null;
}

function classify(profile: JurisdictionProfile, raw: PolicyWorld['classification'], vocabulary: PolicyVocabulary): Classification {
  if (raw === undefined) return { label: null, level: null };
  if (typeof raw === 'number') return { label: String(raw), level: Number.isInteger(raw) ? raw : null };
  const common = vocabulary.levels.get(expandSov(raw));
  return { label: raw, level: common ?? levelOfLabel(profile, raw) ?? null };
}

const check = (name: JurisdictionCheck['check'], pass: boolean | undefined, found: JurisdictionCheck['found'], required: JurisdictionCheck['required'], code: ErrorCode): JurisdictionCheck =>
  pass === true ? { check: name, state: 'satisfied', found, required } : { check: name, state: pass === false ? 'unsatisfied' : 'unknown', found, required, code };

function exportCheck(profile: JurisdictionProfile, recipient: string | undefined, level: number | null): JurisdictionCheck {
  if (recipient === undefined) return check('export', undefined, null, 'a recipient jurisdiction with a profile', 'SOV_POLICY_JURISDICTION_UNKNOWN');
  if (recipient === profile.partner) return check('export', level !== null && level < REFUSED_FROM_LEVEL, recipient, 'domestic', 'SOV_POLICY_EXPORT_CEILING');
  const allowed = profile.export.releasableTo
    .filter((rule) => rule.partners.includes(recipient) || rule.partners.includes('*'))
    .reduce((max, rule) => Math.max(max, rule.maxLevel), -1);
  const ceiling = Math.min(allowed, profile.export.maxLevel);
  const required = ceiling < 0 ? `no release to ${recipient}` : `level <= ${ceiling} for ${recipient}`;
  return check('export', level === null ? undefined : level <= ceiling, level === null ? null : `level ${level} to ${recipient}`, required, 'SOV_POLICY_EXPORT_CEILING');
}

function residencyCheck(name: 'residency' | 'metadata-residency', profiles: JurisdictionProfiles, places: readonly string[] | undefined, allowed: readonly string[]): JurisdictionCheck {
  const required = allowed.map((place) => displayIri(placeIri(place)));
  if (places === undefined || places.length === 0) return check(name, undefined, null, required, 'SOV_POLICY_RESIDENCY');
  const inside = (place: string): boolean => {
    const iri = placeIri(place);
    return allowed.some((entry) => iri === placeIri(entry) || (!entry.includes('/') && profiles.partnerOf(iri) === entry));
  };
  return check(name, places.every(inside), places.map((place) => displayIri(placeIri(place))), required, 'SOV_POLICY_RESIDENCY');
}

function regimeCheck(profile: JurisdictionProfile, recipientProfile: JurisdictionProfile | undefined, world: PolicyWorld): JurisdictionCheck {
  const accepted = [profile.dataProtection.regime, ...profile.dataProtection.adequateRegimes];
  if (world.personalData === false) return check('data-protection', true, 'no personal data', accepted, 'SOV_POLICY_REGIME_INADEQUATE');
  const regime = world.dataProtectionRegime ?? recipientProfile?.dataProtection.regime;
  return check('data-protection', regime === undefined ? undefined : accepted.includes(regime), regime ?? null, accepted, 'SOV_POLICY_REGIME_INADEQUATE');
}

/** The provider's profile applied to one request; `level` is the common level found, if any. */
export function evaluateJurisdiction(
  profiles: JurisdictionProfiles,
  provider: string,
  request: PolicyRequest,
  world: PolicyWorld,
  vocabulary: PolicyVocabulary,
): { report: JurisdictionReport; level: number | null } {
  const profile = profiles.byPartner.get(provider);
  if (profile === undefined) throw new Error(`no jurisdiction profile for provider ${provider}: the connector configuration is wrong`);
  const { label, level } = classify(profile, world.classification, vocabulary);
  const recipientRaw = world.recipientJurisdiction ?? request.assignee.nation;
  const recipient = recipientRaw === undefined ? undefined : profiles.partnerOf(recipientRaw);
  const residency = world.residency ?? (recipientRaw === undefined ? undefined : [recipientRaw]);
  const classification = level === null
    ? check('classification', undefined, label, profile.classification.labels.map((entry) => entry.label), 'SOV_POLICY_CLASSIFICATION_UNKNOWN')
    : check('classification', level < REFUSED_FROM_LEVEL, `${label} (level ${level})`, `level < ${REFUSED_FROM_LEVEL}`, 'SOV_POLICY_CLASSIFICATION_REFUSED');
  const checks = [
    classification,
    exportCheck(profile, recipient, level),
    residencyCheck('residency', profiles, residency, profile.residency.data),
    residencyCheck('metadata-residency', profiles, world.metadataResidency ?? residency, profile.residency.metadata),
    regimeCheck(profile, recipient === undefined ? undefined : profiles.byPartner.get(recipient), world),
  ];
  const report: JurisdictionReport = {
    provider,
    recipient: recipient ?? recipientRaw ?? null,
    outcome: checks.every((item) => item.state === 'satisfied') ? 'permitted' : 'prohibited',
    classification: { label, level, scheme: profile.classification.scheme },
    checks,
    legalBasis: profile.legalBasis,
    disclaimer: profile.disclaimer,
  };
  return { report, level };
}

export interface JurisdictionEvaluation {
  policy: CompiledPolicy;
  request: PolicyRequest;
  world: PolicyWorld;
  profiles: JurisdictionProfiles;
  /** This connector's partner id: whose profile governs what leaves. */
  provider: string;
}

/** The offer's policy and the provider's profile together: one report, the stricter outcome. */
export function evaluateWithJurisdiction(input: JurisdictionEvaluation): DecisionReport {
  const { policy, request, world, profiles, provider } = input;
  const jurisdiction = evaluateJurisdiction(profiles, provider, request, world, policy.vocabulary);
  const levelIri = jurisdiction.level === null ? undefined : policy.vocabulary.levelIris.get(jurisdiction.level);
  const report = evaluate(policy, request, levelIri === undefined ? world : { ...world, classification: levelIri });
  report.jurisdiction = jurisdiction.report;
  if (jurisdiction.report.outcome === 'prohibited') {
    const reasons: Reason[] = jurisdiction.report.checks
      .filter((item) => item.code !== undefined)
      .map((item) => ({ code: item.code as ErrorCode, message: `jurisdiction ${provider} ${item.check}: found ${JSON.stringify(item.found)}, required ${JSON.stringify(item.required)}` }));
    report.outcome = 'prohibited';
    report.decision = 'deny';
    report.permittedOnceDutiesFulfilled = false;
    report.reasons = [...reasons, ...report.reasons];
  }
  report.explanation = explain(report);
  return report;
}
