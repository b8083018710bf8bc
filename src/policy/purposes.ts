/**
 * Purposes as people type them (docs/policy.md "Purpose over DSP"): a consumer states its
 * purpose as an IRI of `vocab/sov-purposes.jsonld`, given in full, as `sov:purpose/…`, or by
 * its short name (`research/health`). Only purposes the vocabulary knows are accepted, so a
 * typo is refused at the consumer instead of silently failing every `odrl:purpose` constraint.
 */
import { fail, ok, type Result } from '../errors/index.js';
import { expandSov, sov } from './iri.js';
import type { PolicyVocabulary } from './vocabulary.js';

const PURPOSE_PREFIX = sov('purpose/');
const SHORT_NAME = /^[a-z0-9-]+(\/[a-z0-9-]+)*$/;

/** The purpose IRI for `value`, or SOV_VALIDATION_FAILED naming the known purposes. */
export function resolvePurpose(vocabulary: Pick<PolicyVocabulary, 'broader'>, value: string): Result<string> {
  const iri = SHORT_NAME.test(value) ? `${PURPOSE_PREFIX}${value}` : expandSov(value);
  if (iri.startsWith(PURPOSE_PREFIX) && vocabulary.broader.has(iri)) return ok(iri);
  const known = [...vocabulary.broader.keys()].filter((key) => key.startsWith(PURPOSE_PREFIX)).map((key) => key.slice(PURPOSE_PREFIX.length));
  return fail('SOV_VALIDATION_FAILED', `unknown purpose ${value}: use one of ${known.join(', ')} (or its IRI)`, { purpose: value, known });
}
