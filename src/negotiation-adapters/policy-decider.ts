/**
 * The negotiation's `PolicyDecider` over the ODRL engine (src/policy) and the provider's
 * jurisdiction profile (issue 6: "the provider evaluates the offer with the policy engine on
 * request and again at verification"; design.md step 3). The DSP offer or agreement is read as
 * ODRL JSON-LD with the ODRL and `sov:` policy contexts, the caller's verified membership claims
 * become the requesting party, the dataset's classification comes from its offering, and
 * `evaluateWithJurisdiction` decides: the stricter of policy and profile wins.
 *
 * At negotiation time a permit "once duties are fulfilled" counts as permitted: the
 * pre-condition duties (e.g. `anonymize` with k and l) travel in the agreement and the data
 * plane performs them before release (src/policy index, "Flow for the DSP layer").
 */
import { SOV_PURPOSE, type MessageOffer, type OdrlAgreement, type OdrlOffer, type VerifiedCaller } from '../dsp/index.js';
import type { PolicyContext, PolicyDecider, PolicyDecision, PolicyReason } from '../negotiation/index.js';
import {
  evaluateWithJurisdiction,
  SOV_POLICY_CONTEXT,
  type DecisionReport,
  type JurisdictionProfiles,
  type PartyClaims,
  type PolicyEngine,
  type PolicyWorld,
  type Reason,
} from '../policy/index.js';
import { membershipParty } from './membership-party.js';

const ODRL_CONTEXT = 'http://www.w3.org/ns/odrl.jsonld';

/** Top-level ODRL policy properties; anything else (DSP `timestamp`, extensions) is not policy. */
const POLICY_KEYS = ['@id', '@type', 'uid', 'profile', 'conflict', 'target', 'assigner', 'assignee', 'permission', 'prohibition', 'obligation'];

/** What the decision needs to know about the dataset; an `Offering` has both fields. */
export interface DatasetFacts {
  /** A label of the provider's classification scheme (or a common-scale IRI). */
  classification?: string;
  personalData?: boolean;
}

export interface PolicyDeciderOptions {
  engine: Pick<PolicyEngine, 'compile'>;
  profiles: JurisdictionProfiles;
  /** This connector's partner id (`uk`): whose jurisdiction profile governs what leaves. */
  provider: string;
  /** Facts of the target dataset, e.g. `(id) => offerings.get(id)`; unknown → refused (fail closed). */
  datasetFacts: (target: string) => Promise<DatasetFacts | undefined>;
  /** The requesting party from the caller's verified claims; default `membershipParty`. */
  partyOf?: (caller: VerifiedCaller) => PartyClaims;
  /** The action requested of the policy; default `use` (DSP policies grant `use`). */
  action?: string;
}

type DecidedPolicy = OdrlOffer | MessageOffer | OdrlAgreement;

export function createPolicyDecider(options: PolicyDeciderOptions): PolicyDecider {
  const partyOf = options.partyOf ?? membershipParty;
  return {
    async decide(policy, caller, context) {
      const compiled = await options.engine.compile(policyDocument(policy, context.target));
      const assignee = partyOf(caller);
      const purpose = purposeOf(policy, caller, context);
      const report = evaluateWithJurisdiction({
        policy: compiled,
        request: { action: options.action ?? 'use', target: context.target, assignee, ...(purpose === undefined ? {} : { purpose }) },
        world: worldOf(policy, context, assignee, await options.datasetFacts(context.target)),
        profiles: options.profiles,
        provider: options.provider,
      });
      return decisionOf(report);
    },
  };
}

/**
 * The purpose the decision is made for (docs/policy.md "Purpose over DSP"): an agreement's
 * own `SOV_PURPOSE` (signed by both sides, so binding at verification, transfer and every
 * owner-held key release), else the purpose the consumer stated in its ContractRequestMessage
 * (`context.purpose`), else one its caller claims carry (a key-release request's `purpose`).
 */
function purposeOf(policy: DecidedPolicy, caller: VerifiedCaller, context: PolicyContext): string | undefined {
  const agreed = policy['@type'] === 'Agreement' ? policy[SOV_PURPOSE] : undefined;
  if (typeof agreed === 'string') return agreed;
  if (context.purpose !== undefined) return context.purpose;
  const claimed = caller.claims['purpose'];
  return typeof claimed === 'string' ? claimed : undefined;
}

/** The DSP policy as an ODRL JSON-LD document: our contexts, policy keys only, the target applied. */
function policyDocument(policy: DecidedPolicy, target: string): Record<string, unknown> {
  const document: Record<string, unknown> = { '@context': [ODRL_CONTEXT, SOV_POLICY_CONTEXT] };
  for (const key of POLICY_KEYS) if (policy[key] !== undefined) document[key] = policy[key];
  // A catalogue offer has no target: the enclosing dataset is the target (dsp.md §3).
  document['target'] ??= target;
  document['@type'] ??= 'Offer';
  return document;
}

function worldOf(policy: DecidedPolicy, context: PolicyContext, assignee: PartyClaims, facts: DatasetFacts | undefined): PolicyWorld {
  const world: PolicyWorld = { now: context.now, uses: context.transfersSoFar ?? 0 };
  // An agreement runs from its timestamp; an offer being negotiated would be agreed now, so
  // time limits (elapsedTime) start at zero instead of being unknown (which would refuse).
  world.agreementTime = typeof policy['timestamp'] === 'string' ? policy['timestamp'] : context.now;
  if (facts?.classification !== undefined) world.classification = facts.classification;
  if (facts?.personalData !== undefined) world.personalData = facts.personalData;
  if (assignee.nation !== undefined) world.recipientJurisdiction = assignee.nation;
  return world;
}

export function decisionOf(report: DecisionReport): PolicyDecision {
  const permitted = report.decision === 'permit' || report.permittedOnceDutiesFulfilled;
  return { permitted, report, reasons: permitted ? [] : report.reasons.map(reasonOf) };
}

/** Engine reason → the DSP-facing reason: code, words, which rule, which constraint. */
function reasonOf(reason: Reason): PolicyReason {
  const mapped: PolicyReason = { code: reason.code, message: reason.message };
  if (reason.ruleId !== undefined) mapped.rule = reason.ruleId;
  const constraint = reason.path ?? reason.leftOperand;
  if (constraint !== undefined) mapped.constraint = reason.leftOperand === undefined ? constraint : `${constraint} (${reason.leftOperand})`;
  return mapped;
}
