/**
 * Policy: the connector's ODRL 2.2 engine, which decides what leaves a nation. A policy (Set,
 * Offer or Agreement, compact or expanded JSON-LD) is compiled once, offline, into closures
 * (`compilePolicy`, or `createPolicyEngine` which caches by content hash); `evaluate(policy,
 * request, world)` is then a pure function returning a `DecisionReport`: outcome, every rule
 * and constraint with the value found against the value required, duties with parameters,
 * machine-readable reasons and an explanation, digestible with `reportDigest`. Anything not
 * understood is a denial with the reason. `evaluateWithJurisdiction` adds the provider's
 * jurisdiction profile (classification ceilings, residency, data-protection regime): the
 * stricter wins. Contract templates are listed and instantiated from `contracts/`.
 *
 * Flow for the DSP layer: at negotiation, evaluate the offer with `uses: 0` and no duties
 * fulfilled; `permittedOnceDutiesFulfilled` says only pre-condition duties (e.g. `anonymize`
 * with its k/l parameters in `duties[].parameters`) remain, which the agreement carries. At
 * transfer, perform those duties, then evaluate the agreement with `dutiesFulfilled`.
 */
export type { PartyClaims, PolicyRequest, PolicyWorld, Instant, OperandValue } from './types.js';
export { compilePolicy, documentDigest, type CompiledPolicy, type ConflictStrategy } from './compile.js';
export { evaluate } from './evaluate.js';
export { createPolicyEngine, type PolicyEngine, type PolicyEngineOptions } from './engine.js';
export { checkPolicy } from './check.js';
export { parseEvaluationInput, type EvaluationInput } from './request-schema.js';
export type { PolicyProblem } from './expanded.js';
export {
  canonicalJson,
  canonicalReport,
  reportDigest,
  type ConstraintReport,
  type DecisionReport,
  type DutyParameter,
  type DutyReport,
  type JurisdictionCheck,
  type JurisdictionReport,
  type Outcome,
  type Reason,
  type RuleReport,
} from './report.js';
export { buildPolicyVocabulary, type PolicyVocabulary } from './vocabulary.js';
export {
  jurisdictionProfileSchema,
  parseJurisdictionProfiles,
  levelOfLabel,
  REFUSED_FROM_LEVEL,
  type JurisdictionProfile,
  type JurisdictionProfiles,
} from './jurisdiction-profile.js';
export { evaluateJurisdiction, evaluateWithJurisdiction, type JurisdictionEvaluation } from './jurisdiction.js';
export { parseTemplateCatalogue, type TemplateCatalogue, type TemplateInfo, type TemplateOverrides, type TemplateParameter } from './templates.js';
export {
  DEFAULT_CONNECTORS_DIR,
  DEFAULT_CONTRACTS_DIR,
  DEFAULT_VOCAB_DIR,
  loadContractTemplates,
  loadJurisdictionProfiles,
  loadPolicyVocabulary,
  readJsonFile,
} from './files.js';
export { ODRL, SOV, SOV_POLICY_CONTEXT, SOV_POLICY_PROFILE, placeIri } from './iri.js';
export { resolvePurpose } from './purposes.js';
export { DUTY_PARAMETER_OPERANDS } from './duty-parameters.js';
