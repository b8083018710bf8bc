/**
 * Shared builders for the policy tests: the repo's vocabulary, a one-permission policy around
 * a constraint, and a baseline request/world that each case adjusts.
 */
import { expect } from 'vitest';
import {
  compilePolicy,
  evaluate,
  loadPolicyVocabulary,
  type CompiledPolicy,
  type DecisionReport,
  type PolicyRequest,
  type PolicyVocabulary,
  type PolicyWorld,
} from '../../src/policy/index.js';

export const CONTEXT = ['http://www.w3.org/ns/odrl.jsonld', 'https://w3id.org/sovereign-connector/policy/v1'];
export const SOV = 'https://w3id.org/sovereign-connector/vocab#';
export const TARGET = 'urn:dataset:census-2026';
export const CONSUMER = 'did:web:ca.example%3A8443';

const loaded = loadPolicyVocabulary();
if (!loaded.ok) throw new Error(loaded.detail);
export const vocabulary: PolicyVocabulary = loaded.value;

export type Json = Record<string, unknown>;

export function policy(body: Json): Json {
  return { '@context': CONTEXT, '@type': 'Set', uid: 'urn:policy:test', ...body };
}

export function permissionWith(constraint: Json | Json[], extra: Json = {}): Json {
  return policy({ permission: [{ action: 'use', target: TARGET, constraint, ...extra }] });
}

export function constraint(leftOperand: string, operator: string, rightOperand: unknown, extra: Json = {}): Json {
  return { leftOperand, operator, rightOperand, ...extra };
}

export const baseRequest = (): PolicyRequest => ({
  action: 'read',
  target: TARGET,
  assignee: { id: CONSUMER, nation: 'ca', roles: ['sov:role/researcher', 'sov:role/analyst'], memberships: ['sov:party/coalition'], industry: 'health' },
  purpose: 'sov:purpose/research/health',
});

export const baseWorld = (): PolicyWorld => ({
  now: '2026-03-01T12:00:00Z',
  agreementTime: '2026-02-01T12:00:00Z',
  uses: 4,
  classification: 'sov:classification/official',
  operands: { language: 'en', payAmount: 12.5, resolution: 600 },
  events: { 'https://example.org/event/summit': { start: '2026-02-28T00:00:00Z', end: '2026-03-02T00:00:00Z' } },
});

export async function compile(document: unknown): Promise<CompiledPolicy> {
  return compilePolicy(document, { vocabulary });
}

export async function decide(document: unknown, request: Partial<PolicyRequest> = {}, world: Partial<PolicyWorld> = {}): Promise<DecisionReport> {
  return evaluate(await compile(document), { ...baseRequest(), ...request }, { ...baseWorld(), ...world });
}

/** Asserts the outcome and, for a denial, the first reason's code (and operand when given). */
export function expectDecision(report: DecisionReport, outcome: DecisionReport['outcome'], code?: string, leftOperand?: string): void {
  expect({ outcome: report.outcome, reason: report.reasons[0]?.code, explanation: report.explanation }).toMatchObject({ outcome, reason: code });
  if (leftOperand !== undefined) expect(report.reasons[0]?.leftOperand).toBe(leftOperand);
  if (outcome === 'permitted') expect(report.reasons).toEqual([]);
}
