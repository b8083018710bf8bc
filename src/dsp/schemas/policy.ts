/**
 * ODRL policies as DSP 2025-1 carries them (upstream `negotiation/contract-schema.json`):
 * catalogue offers (no `target`), message offers (`target` allowed), agreements, and the rules
 * and constraints inside them. We never emit a rule `target` (dsp.md §3) but tolerate one on
 * input, as the upstream schema does.
 */
import { SOV_PURPOSE } from '../context.js';
import { SCHEMA_IDS } from './ids.js';

const local = (name: string) => ({ $ref: `#/$defs/${name}` });
const arrayOf = (name: string) => ({ type: 'array', items: local(name), minItems: 1 });
const noTarget = { not: { required: ['target'] } };
const hasRules = { anyOf: [{ required: ['permission'] }, { required: ['prohibition'] }] };

const timestampPattern =
  '^-?([1-9][0-9]{3,}|0[0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T(([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]+)?|(24:00:00(\\.0+)?))(Z|(\\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?$';

/** Our purpose extension (context.ts `SOV_PURPOSE`) on requests and agreements: one absolute IRI. */
export const purposeIri = { type: 'string', minLength: 1, maxLength: 2048, pattern: '^[a-zA-Z][a-zA-Z0-9+.-]*:\\S+$' } as const;

export const policySchema = {
  $id: SCHEMA_IDS.policy,
  $defs: {
    PolicyClass: {
      type: 'object',
      properties: {
        '@id': { type: 'string', minLength: 1 },
        profile: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
        permission: arrayOf('Permission'),
        prohibition: arrayOf('Prohibition'),
        obligation: arrayOf('Duty'),
      },
      required: ['@id'],
    },
    /** An offer inside a Catalog or Dataset: the enclosing Dataset is the target. */
    Offer: {
      allOf: [local('PolicyClass'), hasRules, noTarget],
      properties: { '@type': { const: 'Offer' } },
      required: ['@type'],
    },
    /** An offer inside a negotiation message: it may (offer message: must) name its target. */
    MessageOffer: {
      allOf: [local('PolicyClass'), hasRules],
      properties: { '@type': { const: 'Offer' }, target: { type: 'string', minLength: 1 } },
      required: ['@type'],
    },
    Agreement: {
      allOf: [local('PolicyClass'), hasRules],
      properties: {
        '@type': { const: 'Agreement' },
        target: { type: 'string', minLength: 1 },
        assigner: { type: 'string', minLength: 1 },
        assignee: { type: 'string', minLength: 1 },
        timestamp: { type: 'string', pattern: timestampPattern },
        [SOV_PURPOSE]: purposeIri,
      },
      required: ['@type', 'target', 'assigner', 'assignee'],
    },
    Permission: {
      type: 'object',
      properties: { action: local('Action'), constraint: arrayOf('Constraint'), duty: local('Duties') },
      required: ['action'],
    },
    Prohibition: {
      type: 'object',
      properties: { action: local('Action'), constraint: arrayOf('Constraint'), remedy: local('Duties') },
      required: ['action'],
    },
    Duty: {
      type: 'object',
      properties: { action: local('Action'), constraint: arrayOf('Constraint'), consequence: local('Duties') },
      required: ['action'],
    },
    // The spec's own catalogue example writes a single duty as an object; accept both forms.
    Duties: { anyOf: [local('Duty'), { type: 'array', items: local('Duty') }] },
    Action: { type: 'string', minLength: 1 },
    Constraint: { type: 'object', oneOf: [local('LogicalConstraint'), local('AtomicConstraint')] },
    LogicalConstraint: {
      type: 'object',
      properties: {
        and: { type: 'array', items: local('Constraint') },
        andSequence: { type: 'array', items: local('Constraint') },
        or: { type: 'array', items: local('Constraint') },
        xone: { type: 'array', items: local('Constraint') },
      },
      oneOf: [{ required: ['and'] }, { required: ['andSequence'] }, { required: ['or'] }, { required: ['xone'] }],
    },
    AtomicConstraint: {
      type: 'object',
      properties: {
        leftOperand: { type: 'string', minLength: 1 },
        operator: local('Operator'),
        // Upstream allows string/object/array; numbers and booleans are accepted on input
        // because ODRL `count` and similar operands are numeric in practice.
        rightOperand: { type: ['string', 'number', 'boolean', 'object', 'array'] },
      },
      required: ['leftOperand', 'operator', 'rightOperand'],
    },
    Operator: {
      enum: ['eq', 'gt', 'gteq', 'lt', 'lteq', 'neq', 'hasPart', 'isA', 'isAllOf', 'isAnyOf', 'isNoneOf', 'isPartOf', 'term-lteq'],
    },
  },
} as const;
