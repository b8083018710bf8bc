import type { ErrorSpec } from '../spec.js';

/**
 * Policy engine codes (src/policy). The 4xx "problem" codes say why a policy could not be
 * evaluated (fail closed: the decision is a denial); the 403 codes are the machine-readable
 * reasons of a decision report that the DSP layer forwards to the other connector.
 */
export const policyCodes = {
  SOV_POLICY_MALFORMED: { status: 400, title: 'The policy is not a well-formed ODRL policy' },
  SOV_POLICY_UNKNOWN_CONTEXT: { status: 400, title: 'The policy uses a JSON-LD context the connector does not hold' },
  SOV_POLICY_UNKNOWN_OPERATOR: { status: 400, title: 'The policy uses an operator the evaluator does not understand' },
  SOV_POLICY_UNKNOWN_OPERAND: { status: 400, title: 'The policy uses a left operand the evaluator does not understand' },
  SOV_POLICY_UNKNOWN_ACTION: { status: 400, title: 'The policy uses an ODRL action the evaluator does not know' },
  SOV_POLICY_DATATYPE_INVALID: { status: 400, title: 'A right operand has an unsupported or mismatched datatype' },
  SOV_POLICY_UNSUPPORTED_PROFILE: { status: 400, title: 'The policy names an ODRL profile the evaluator does not support' },
  SOV_POLICY_UNSUPPORTED_FEATURE: { status: 400, title: 'The policy uses an ODRL feature the evaluator does not support' },
  SOV_POLICY_REQUEST_INVALID: { status: 400, title: 'The evaluation request does not match its schema' },
  SOV_POLICY_NO_PERMISSION: { status: 403, title: 'No permission of the policy covers the request' },
  SOV_POLICY_CONSTRAINT_UNSATISFIED: { status: 403, title: 'A constraint of the policy is not satisfied' },
  SOV_POLICY_OPERAND_MISSING: { status: 403, title: 'The state of the world has no value for a constrained operand' },
  SOV_POLICY_DUTY_UNFULFILLED: { status: 403, title: 'A duty that is a pre-condition of the permission is not fulfilled' },
  SOV_POLICY_PROHIBITED: { status: 403, title: 'An active prohibition of the policy forbids the request' },
  SOV_POLICY_CONFLICT: { status: 403, title: 'A permission and a prohibition conflict and the policy is void' },
  SOV_POLICY_NOT_EVALUABLE: { status: 403, title: 'The policy could not be fully evaluated and is refused' },
  SOV_POLICY_CLASSIFICATION_REFUSED: { status: 403, title: 'Data at SECRET or above never leaves the connector' },
  SOV_POLICY_CLASSIFICATION_UNKNOWN: { status: 403, title: 'The dataset classification is missing or not in the jurisdiction scheme' },
  SOV_POLICY_EXPORT_CEILING: { status: 403, title: 'The classification exceeds what may be released to the recipient jurisdiction' },
  SOV_POLICY_JURISDICTION_UNKNOWN: { status: 403, title: 'The recipient jurisdiction has no profile' },
  SOV_POLICY_RESIDENCY: { status: 403, title: 'The data or its metadata would be stored outside the permitted places' },
  SOV_POLICY_REGIME_INADEQUATE: { status: 403, title: 'The recipient data-protection regime is not accepted for personal data' },
  SOV_POLICY_PROFILE_INVALID: { status: 500, title: 'A jurisdiction profile is invalid' },
  SOV_POLICY_VOCABULARY_MISSING: { status: 500, title: 'The policy vocabulary files are missing or incomplete' },
  SOV_POLICY_TEMPLATE_UNKNOWN: { status: 404, title: 'No contract template has that name' },
  SOV_POLICY_TEMPLATE_PARAMS: { status: 400, title: 'The contract template parameters are invalid' },
} as const satisfies Record<string, ErrorSpec>;
