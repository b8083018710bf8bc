/**
 * The report is stable JSON (stored, signed, shown later), compilation is cached by content,
 * and the CLI explains problems with their paths and prints reports.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck, runEvaluate } from '../../src/cli/commands/policy.js';
import { canonicalReport, compilePolicy, createPolicyEngine, documentDigest, reportDigest } from '../../src/policy/index.js';
import { TARGET, baseRequest, baseWorld, constraint, decide, permissionWith, vocabulary } from './helpers.js';

const document = permissionWith([constraint('count', 'lteq', 5), constraint('purpose', 'isPartOf', { '@id': 'sov:purpose/research' })]);

describe('decision report', () => {
  it('is byte-identical for the same inputs, whatever the key order of the policy', async () => {
    const first = await decide(document);
    const reverseKeys = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(reverseKeys);
      if (typeof value !== 'object' || value === null) return value;
      return Object.fromEntries(Object.entries(value).reverse().map(([key, item]) => [key, reverseKeys(item)]));
    };
    const reordered = reverseKeys(document) as Record<string, unknown>;
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(document));
    const second = await decide(reordered);
    expect(canonicalReport(second)).toBe(canonicalReport(first));
    expect(reportDigest(first)).toMatch(/^sha-256:[0-9a-f]{64}$/);
    expect(reportDigest(second)).toBe(reportDigest(first));
  });

  it('changes digest when the world changes the decision', async () => {
    const permitted = await decide(document);
    const denied = await decide(document, {}, { uses: 9 });
    expect(reportDigest(denied)).not.toBe(reportDigest(permitted));
  });

  it('canonical form sorts keys and parses back to the report', async () => {
    const report = await decide(document);
    const canonical = canonicalReport(report);
    expect(JSON.parse(canonical)).toEqual(JSON.parse(JSON.stringify(report)));
    expect(canonical.indexOf('"decision"')).toBeLessThan(canonical.indexOf('"explanation"'));
  });
});

describe('policy engine cache', () => {
  it('compiles a document once and reuses it for equal content', async () => {
    const engine = createPolicyEngine({ vocabulary, maxCached: 2 });
    const a = await engine.compile(document);
    const b = await engine.compile(JSON.parse(JSON.stringify(document)));
    expect(b).toBe(a);
    await engine.compile(permissionWith(constraint('count', 'lteq', 1)));
    await engine.compile(permissionWith(constraint('count', 'lteq', 2)));
    expect(engine.cacheSize).toBe(2);
    expect(engine.evaluate(a, baseRequest(), baseWorld()).outcome).toBe('permitted');
  });
});

describe('policy engine cache: agreements that differ only in their uid', () => {
  const agreement = (uid: string, extra: Record<string, unknown> = {}) => ({ ...document, '@type': 'Agreement', uid, ...extra });
  /** The engine's compilation of `doc` is what compiling it alone gives: same data, same decisions (constraints are closures). */
  const compiledAsAlone = async (engine: ReturnType<typeof createPolicyEngine>, doc: Record<string, unknown>) => {
    const [cached, alone] = [await engine.compile(doc), await compilePolicy(doc, { vocabulary })];
    expect(JSON.stringify(cached)).toBe(JSON.stringify(alone));
    for (const world of [baseWorld(), { ...baseWorld(), uses: 9 }]) {
      expect(canonicalReport(engine.evaluate(cached, baseRequest(), world))).toBe(canonicalReport(engine.evaluate(alone, baseRequest(), world)));
    }
    return cached;
  };

  it('compiles each from one compilation of their shape, exactly as compiling it alone would', async () => {
    const engine = createPolicyEngine({ vocabulary });
    const first = await engine.compile(agreement('urn:uuid:agreement-1'));
    const second = await engine.compile(agreement('urn:uuid:agreement-2'));
    // One entry per document and one for the shape they share.
    expect(engine.cacheSize).toBe(3);
    expect(second.uid).toBe('urn:uuid:agreement-2');
    expect(second.digest).toBe(documentDigest(agreement('urn:uuid:agreement-2')));
    await compiledAsAlone(engine, agreement('urn:uuid:agreement-2'));
    await compiledAsAlone(engine, agreement('urn:uuid:agreement-1'));
    expect(first.uid).toBe('urn:uuid:agreement-1');
    expect(await engine.compile(agreement('urn:uuid:agreement-2'))).toBe(second);
    expect(engine.evaluate(second, baseRequest(), baseWorld()).policy.uid).toBe('urn:uuid:agreement-2');
  });

  it('compiles a document that names its uid elsewhere, has a uid that is no urn, or an inline context, as it is', async () => {
    const engine = createPolicyEngine({ vocabulary });
    const selfNamed = agreement('urn:uuid:agreement-3', { target: 'urn:uuid:agreement-3' });
    await compiledAsAlone(engine, selfNamed);
    await compiledAsAlone(engine, agreement('https://example.org/agreement-4'));
    // An inline context names the uid a second time, compactly: the target is the policy itself.
    const context = [...(document['@context'] as unknown[]), { agr: 'urn:uuid:' }];
    const compactSelf = agreement('urn:uuid:a5', { '@context': context, target: 'agr:a5' });
    await compiledAsAlone(engine, compactSelf);
    expect(engine.cacheSize).toBe(3);
  });
});

describe('sovc policy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sov-policy-cli-'));
  const write = (name: string, value: unknown): string => {
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify(value));
    return file;
  };

  it('check explains each problem with its JSON path and exits 1', async () => {
    const file = write('bad.jsonld', permissionWith([constraint('count', 'odrl:about', 5), constraint('dateTime', 'lt', '2026-01-01T00:00:00')]));
    const lines: string[] = [];
    expect(await runCheck(file, {}, { out: (text) => lines.push(text) })).toBe(1);
    expect(lines).toContain('ERROR $.permission[0].constraint[0].operator: operator about is not understood (SOV_POLICY_UNKNOWN_OPERATOR)');
    expect(lines.some((line) => line.startsWith('ERROR $.permission[0].constraint[1].rightOperand[0]:'))).toBe(true);
    expect(lines.at(-1)).toContain('2 problem(s)');
  });

  it('evaluate prints the canonical report with --json and exits 0 when permitted, 2 when denied', async () => {
    const policyFile = write('policy.jsonld', document);
    const permit = write('permit.json', { request: { ...baseRequest() }, world: { ...baseWorld() } });
    const deny = write('deny.json', { request: { ...baseRequest(), target: 'urn:dataset:other' }, world: { ...baseWorld() } });
    const out: string[] = [];
    expect(await runEvaluate({ policy: policyFile, request: permit, json: true }, { out: (text) => out.push(text) })).toBe(0);
    expect(JSON.parse(out[0] as string)).toMatchObject({ outcome: 'permitted', request: { target: TARGET } });
    expect(await runEvaluate({ policy: policyFile, request: deny }, { out: (text) => out.push(text) })).toBe(2);
    expect(out[1]).toContain('SOV_POLICY_NO_PERMISSION');
  });

  it('evaluate enforces a provider profile when asked', async () => {
    const policyFile = write('policy2.jsonld', document);
    const secret = write('secret.json', { request: baseRequest(), world: { ...baseWorld(), classification: 'SECRET', personalData: false } });
    const out: string[] = [];
    expect(await runEvaluate({ policy: policyFile, request: secret, provider: 'uk', json: true }, { out: (text) => out.push(text) })).toBe(2);
    const report = JSON.parse(out[0] as string) as { outcome: string; reasons: Array<{ code: string }> };
    expect(report.outcome).toBe('prohibited');
    expect(report.reasons[0]?.code).toBe('SOV_POLICY_CLASSIFICATION_REFUSED');
  });

  it('evaluate rejects a request file that does not match the schema', async () => {
    const policyFile = write('policy3.jsonld', document);
    const bad = write('bad-request.json', { request: { action: 'read' }, world: { now: '2026-01-01T00:00:00Z', uses: -1 } });
    await expect(runEvaluate({ policy: policyFile, request: bad }, { out: () => undefined })).rejects.toThrow(/SOV_POLICY_REQUEST_INVALID/);
  });
});
