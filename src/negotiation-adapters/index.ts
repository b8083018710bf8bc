/**
 * Production adapters of the contract negotiation's policy and signing ports
 * (src/negotiation/ports.ts): `createPolicyDecider` evaluates DSP offers and agreements with
 * the ODRL engine and the provider's jurisdiction profile and maps the decision report to
 * `PolicyDecision {permitted, report, reasons}` (reasons carry the engine's code, the rule and
 * the constraint); `createAgreementSigner` signs agreements with the kms key over their JCS
 * form and verifies a counterparty's proof with the assertion key of its DID document.
 */
export { createPolicyDecider, decisionOf, type PolicyDeciderOptions, type DatasetFacts } from './policy-decider.js';
export { membershipParty, COALITION } from './membership-party.js';
export { createAgreementSigner, AGREEMENT_PROOF_TYPE, type AgreementSignerOptions } from './agreement-signer.js';
