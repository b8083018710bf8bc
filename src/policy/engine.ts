/**
 * A policy engine: compiles each distinct policy document once and keeps the compiled form,
 * keyed by the sha-256 of its canonical JSON, so negotiation and transfer decisions on the
 * same offer or agreement do no JSON-LD work (issue 4 "compiled once ... and cached").
 */
import { compilePolicy, documentDigest, type CompiledPolicy } from './compile.js';
import { evaluate } from './evaluate.js';
import type { DecisionReport } from './report.js';
import type { PolicyRequest, PolicyWorld } from './types.js';
import type { PolicyVocabulary } from './vocabulary.js';

export interface PolicyEngine {
  /** Compiles (or returns the cached compilation of) a policy document. Never throws. */
  compile(document: unknown): Promise<CompiledPolicy>;
  evaluate(policy: CompiledPolicy, request: PolicyRequest, world: PolicyWorld): DecisionReport;
  readonly cacheSize: number;
}

export interface PolicyEngineOptions {
  vocabulary: PolicyVocabulary;
  /** Most compiled policies kept (least recently used evicted first). Default 1000. */
  maxCached?: number;
}

export function createPolicyEngine(options: PolicyEngineOptions): PolicyEngine {
  const maxCached = options.maxCached ?? 1000;
  const cache = new Map<string, Promise<CompiledPolicy>>();
  return {
    compile(document) {
      const key = documentDigest(document);
      const hit = cache.get(key);
      if (hit !== undefined) {
        cache.delete(key);
        cache.set(key, hit);
        return hit;
      }
      const compiled = compilePolicy(document, { vocabulary: options.vocabulary });
      cache.set(key, compiled);
      if (cache.size > maxCached) cache.delete(cache.keys().next().value as string);
      return compiled;
    },
    evaluate,
    get cacheSize() {
      return cache.size;
    },
  };
}
