/**
 * Policy figures (issue 4 "Benchmark"): decisions per second on one core for a compiled policy
 * with 10 constraints, one of them logical, and a duty (target >= 100,000/s), plus the one-off
 * compile time (offline JSON-LD expansion and compilation to closures). Each decision builds
 * the full report; the world varies so no result can be reused.
 */
import { compilePolicy, evaluate, loadPolicyVocabulary, type PolicyRequest, type PolicyWorld } from '../../src/policy/index.js';

const TARGET_DECISIONS_PER_SECOND = 100_000;
const SOV = 'https://w3id.org/sovereign-connector/vocab#';
const c = (leftOperand: string, operator: string, rightOperand: unknown): Record<string, unknown> => ({ leftOperand, operator, rightOperand });

const policy = {
  '@context': ['http://www.w3.org/ns/odrl.jsonld', 'https://w3id.org/sovereign-connector/policy/v1'],
  '@type': 'Offer',
  uid: 'urn:policy:bench',
  assigner: 'did:web:uk.example',
  permission: [{
    action: 'use',
    target: 'urn:dataset:bench',
    assignee: { '@type': 'PartyCollection', uid: 'sov:party/coalition' },
    constraint: [
      c('dateTime', 'gteq', { '@value': '2026-01-01T00:00:00Z', '@type': 'xsd:dateTime' }),
      c('dateTime', 'lt', { '@value': '2027-01-01', '@type': 'xsd:date' }),
      c('elapsedTime', 'lteq', { '@value': 'P90D', '@type': 'xsd:duration' }),
      c('count', 'lteq', 1_000_000_000),
      c('purpose', 'isPartOf', { '@id': `${SOV}purpose/research` }),
      c('classification', 'lteq', { '@id': `${SOV}classification/official-sensitive` }),
      c('membershipRole', 'isAnyOf', [{ '@id': `${SOV}role/researcher` }, { '@id': `${SOV}role/analyst` }]),
      c('residency', 'isPartOf', { '@id': `${SOV}place/coalition` }),
      c('dataProtectionRegime', 'isNoneOf', [{ '@id': `${SOV}regime/none` }]),
      { or: [c('recipientJurisdiction', 'isPartOf', { '@id': `${SOV}place/eu` }), c('recipientJurisdiction', 'isAnyOf', [{ '@id': `${SOV}place/ca` }, { '@id': `${SOV}place/au` }])] },
    ],
    duty: [{ action: [{ 'rdf:value': { '@id': 'odrl:anonymize' }, refinement: [c('kAnonymity', 'gteq', 10), c('lDiversity', 'gteq', 3)] }] }],
  }],
};

export default async function bench(): Promise<void> {
  const loaded = loadPolicyVocabulary();
  if (!loaded.ok) throw new Error(loaded.detail);
  const vocabulary = loaded.value;
  const compileStart = performance.now();
  const compiled = await compilePolicy(policy, { vocabulary });
  const compileMs = performance.now() - compileStart;
  const warmStart = performance.now();
  const runs = 20;
  for (let i = 0; i < runs; i += 1) await compilePolicy({ ...policy, uid: `urn:policy:bench:${i}` }, { vocabulary });
  const warmCompileMs = (performance.now() - warmStart) / runs;
  if (compiled.problems.length > 0) throw new Error(JSON.stringify(compiled.problems));

  const request: PolicyRequest = {
    action: 'read',
    target: 'urn:dataset:bench',
    assignee: { id: 'did:web:ca.example', nation: 'ca', roles: ['sov:role/researcher'], memberships: ['sov:party/coalition'] },
    purpose: 'sov:purpose/research/health',
  };
  const start = Date.parse('2026-03-01T00:00:00Z');
  const world = (i: number): PolicyWorld => ({
    now: start + i,
    agreementTime: start - 86_400_000,
    uses: i,
    classification: 'sov:classification/official',
    residency: ['ca'],
    dataProtectionRegime: `${SOV}regime/ca-pipeda`,
    dutiesFulfilled: ['anonymize'],
  });
  if (evaluate(compiled, request, world(0)).outcome !== 'permitted') throw new Error('bench policy must permit');
  for (let i = 0; i < 20_000; i += 1) evaluate(compiled, request, world(i));
  const decisions = Number(process.env.DECISIONS ?? 300_000);
  let permitted = 0;
  // CPU time of this (single-threaded) process, so the figure is per core even on a shared machine.
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < decisions; i += 1) if (evaluate(compiled, request, world(i)).decision === 'permit') permitted += 1;
  const wallSeconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const seconds = (cpu.user + cpu.system) / 1e6;
  const perSecond = decisions / seconds;
  console.log(`compile (first, includes context loading): ${compileMs.toFixed(1)} ms; warm compile: ${warmCompileMs.toFixed(2)} ms`);
  console.log(`decisions: ${decisions} in ${seconds.toFixed(2)} s of CPU (${wallSeconds.toFixed(2)} s wall) = ${Math.round(perSecond).toLocaleString('en-GB')}/s per core (${Math.round(decisions / wallSeconds).toLocaleString('en-GB')}/s wall); ${permitted} permitted`);
  console.log(`ratio to target (${TARGET_DECISIONS_PER_SECOND.toLocaleString('en-GB')}/s): ${(perSecond / TARGET_DECISIONS_PER_SECOND).toFixed(2)}x`);
}
