/**
 * A policy engine: compiles each distinct policy document once and keeps the compiled form,
 * keyed by the sha-256 of its canonical JSON, so negotiation and transfer decisions on the
 * same offer or agreement do no JSON-LD work (issue 4 "compiled once ... and cached").
 *
 * Every negotiation's agreement is a new document that differs from the others only in its
 * uid, so each one is compiled from the compilation of its *shape*: the document with the uid
 * stood in by a placeholder. The uid names the policy and nothing in it (rules and constraints
 * carry their own ids: rules.ts, constraints.ts), so the compiled form is the shape's with the
 * document's own uid and digest. This holds only where the uid is a `urn:` IRI (which no
 * context of ours rewrites: the shape's compiled uid must come back as the placeholder) named
 * once in the document, and the document's contexts are only named ones (shipped, offline):
 * an inline context could give the uid a second, compact name (`{"agr": "urn:uuid:"}`,
 * `agr:…`) that the placeholder would not stand in for. Anything else is compiled as it is.
 */
import { compilePolicy, type CompiledPolicy } from './compile.js';
import { evaluate } from './evaluate.js';
import { canonicalJson, sha256Hex, type DecisionReport } from './report.js';
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

const SHAPE_UID = 'urn:sovc:policy-shape';
const UID_KEYS = ['@id', 'uid'] as const;

interface Shape {
  document: Record<string, unknown>;
  /** The shape's canonical JSON: the document's with the uid's one occurrence stood in. */
  canonical: string;
  uid: string;
}

/** The document with its uid stood in, when the shape can be shared (see above). */
function shapeOf(document: unknown, canonical: string): Shape | undefined {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return undefined;
  const fields = document as Record<string, unknown>;
  if (!namedContextsOnly(fields['@context'])) return undefined;
  const named = UID_KEYS.filter((key) => fields[key] !== undefined);
  const key = named[0];
  if (named.length !== 1 || key === undefined) return undefined;
  const uid = fields[key];
  if (typeof uid !== 'string' || !uid.startsWith('urn:') || uid === SHAPE_UID) return undefined;
  const quoted = JSON.stringify(uid);
  if (canonical.indexOf(quoted) !== canonical.lastIndexOf(quoted)) return undefined;
  return { document: { ...fields, [key]: SHAPE_UID }, canonical: canonical.replace(quoted, JSON.stringify(SHAPE_UID)), uid };
}

/** No context, or contexts named by IRI only (never an inline definition). */
function namedContextsOnly(context: unknown): boolean {
  if (context === undefined || typeof context === 'string') return true;
  return Array.isArray(context) && context.every((entry) => typeof entry === 'string');
}

const digestOf = (canonical: string) => `sha-256:${sha256Hex(canonical)}`;

export function createPolicyEngine(options: PolicyEngineOptions): PolicyEngine {
  const maxCached = options.maxCached ?? 1000;
  const cache = new Map<string, Promise<CompiledPolicy>>();
  const compileAlone = (document: unknown) => compilePolicy(document, { vocabulary: options.vocabulary });

  function cached(key: string, compile: () => Promise<CompiledPolicy>): Promise<CompiledPolicy> {
    const hit = cache.get(key);
    if (hit !== undefined) {
      cache.delete(key);
      cache.set(key, hit);
      return hit;
    }
    const compiled = compile();
    cache.set(key, compiled);
    if (cache.size > maxCached) cache.delete(cache.keys().next().value as string);
    return compiled;
  }

  async function fromShape(document: unknown, digest: string, shape: Shape): Promise<CompiledPolicy> {
    const template = await cached(digestOf(shape.canonical), () => compileAlone(shape.document));
    return template.uid === SHAPE_UID ? { ...template, uid: shape.uid, digest } : compileAlone(document);
  }

  return {
    compile(document) {
      const canonical = canonicalJson(document);
      const digest = digestOf(canonical);
      const shape = shapeOf(document, canonical);
      return cached(digest, () => (shape === undefined ? compileAlone(document) : fromShape(document, digest, shape)));
    },
    evaluate,
    get cacheSize() {
      return cache.size;
    },
  };
}
