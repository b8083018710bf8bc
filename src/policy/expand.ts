/**
 * JSON-LD expansion, offline (odrl.md "JSON-LD"): the document loader serves only the contexts
 * held in `vocab/` and refuses every other URL, and safe mode turns every dropped term into an
 * error, so a misspelt property ("constriant") cannot silently widen a policy. Failures are
 * returned as problems with a reason, never thrown.
 */
import { createRequire } from 'node:module';
import type { PolicyProblem } from './expanded.js';

interface JsonLdError {
  name?: string;
  message?: string;
  details?: { code?: string; url?: string; event?: { code?: string; details?: { property?: string } } };
}

interface JsonLd {
  expand(input: unknown, options: { documentLoader: (url: string) => Promise<unknown>; safe: boolean }): Promise<unknown[]>;
}

// jsonld ships CommonJS without type declarations (packages.md gotcha 8); only `expand` is used.
const jsonld = createRequire(import.meta.url)('jsonld') as JsonLd;

class UnknownContext extends Error {
  constructor(readonly url: string) {
    super(`context ${url} is not held offline`);
  }
}

function describe(error: unknown): PolicyProblem {
  const failure = error as JsonLdError;
  const cause = (failure.details as { cause?: unknown } | undefined)?.cause;
  const url = failure.details?.url ?? (cause instanceof UnknownContext ? cause.url : undefined);
  if (failure.details?.code === 'loading remote context failed' || url !== undefined) {
    return { code: 'SOV_POLICY_UNKNOWN_CONTEXT', path: '$["@context"]', message: `JSON-LD context ${url ?? '(unknown)'} is not one the connector holds offline`, severity: 'error' };
  }
  const property = failure.details?.event?.details?.property;
  if (property !== undefined) {
    return { code: 'SOV_POLICY_MALFORMED', path: `$..${property}`, message: `"${property}" is not a term of the policy's contexts (${failure.details?.event?.code ?? 'invalid'})`, severity: 'error' };
  }
  const code = failure.details?.event?.code ?? failure.details?.code ?? failure.name ?? 'error';
  return { code: 'SOV_POLICY_MALFORMED', path: '$', message: `not valid JSON-LD: ${code}: ${failure.message ?? String(error)}`, severity: 'error' };
}

/** Expands `document` against the offline contexts; a failure is one problem explaining why. */
export async function expandOffline(
  document: unknown,
  contexts: ReadonlyMap<string, unknown>,
): Promise<{ ok: true; expanded: unknown[] } | { ok: false; problem: PolicyProblem }> {
  const documentLoader = async (url: string): Promise<unknown> => {
    const context = contexts.get(url);
    if (context === undefined) throw new UnknownContext(url);
    return { contextUrl: null, documentUrl: url, document: context };
  };
  try {
    return { ok: true, expanded: await jsonld.expand(document, { documentLoader, safe: true }) };
  } catch (error) {
    return { ok: false, problem: describe(error) };
  }
}
