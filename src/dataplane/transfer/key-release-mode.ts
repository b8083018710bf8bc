/**
 * Which key-release mode an offer uses (issue 7 "Two key-release modes, chosen by the offer's
 * policy"): the offering's ODRL policy document may carry, at policy level, the member
 * `sov:keyRelease` (or `keyRelease` under our policy context, or the full IRI
 * `https://w3id.org/sovereign-connector/vocab#keyRelease`) with the value `owner-held` or
 * `handover`. It is a policy-level setting like `conflict`: the policy engine ignores it and
 * it never changes what is permitted, only how the key travels. Absent means `handover`.
 */
import type { KeyRelease } from '../datasets/dataset.js';

const NAMES = ['sov:keyRelease', 'keyRelease', 'https://w3id.org/sovereign-connector/vocab#keyRelease'];

export function keyReleaseOfPolicy(document: Readonly<Record<string, unknown>> | undefined): KeyRelease {
  for (const name of NAMES) {
    const value = document?.[name];
    const text = typeof value === 'object' && value !== null && '@value' in value ? (value as { '@value': unknown })['@value'] : value;
    if (text === 'owner-held') return 'owner-held';
  }
  return 'handover';
}
