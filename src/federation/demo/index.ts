/**
 * `sovc demo`: scripted cross-border scenarios driven against a running federation through
 * each partner's management API (an admin's client, with the admin tokens from the partners'
 * data folders), plus the expiry scenario on its own pair under a simulated clock.
 */
export { partnerApi, type DemoPartner, type PartnerApi, type ApiAnswer } from './partner-api.js';
export { negotiate, transferAndKeep, type NegotiationOutcome, type TransferOutcome, type Refusal } from './exchange-steps.js';
export { runFederationScenarios, permittedExchange, refusedExchange, SAMPLES, type ScenarioOutcome, type DemoContext, type AnonymisationSummary } from './scenarios.js';
export { runExpiryScenario, type ExpiryOutcome, type ExpiryScenarioOptions } from './expiry-scenario.js';
export { renderOutcome } from './render-outcome.js';
