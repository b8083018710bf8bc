/**
 * `policy check`: every problem the compiler finds, errors (the policy would be refused) and
 * warnings, each with the JSON path of the offending value.
 */
import { compilePolicy } from './compile.js';
import type { PolicyProblem } from './expanded.js';
import type { PolicyVocabulary } from './vocabulary.js';

export async function checkPolicy(document: unknown, vocabulary: PolicyVocabulary): Promise<PolicyProblem[]> {
  const compiled = await compilePolicy(document, { vocabulary });
  return [...compiled.problems];
}
