/**
 * DSP 2025-1 wire constants (dsp.md §1): the JSON-LD context every message's `@context` array
 * must contain, the ODRL profile it imports, and the protocol namespace.
 */
export const DSP_VERSION = '2025-1';
export const DSP_CONTEXT_URL = 'https://w3id.org/dspace/2025/1/context.jsonld';
export const DSP_ODRL_PROFILE_URL = 'https://w3id.org/dspace/2025/1/odrl-profile.jsonld';
export const DSP_NAMESPACE = 'https://w3id.org/dspace/2025/1/';

/**
 * Our own term for the agreement proofs each side adds (an absolute IRI, so JSON-LD
 * processors keep it and plain-JSON peers such as EDC simply ignore it).
 */
export const SOV_AGREEMENT_PROOF = 'https://w3id.org/sovereign-connector/vocab#agreementProof';

/** The `@context` value we emit: only the DSP context (dsp.md §9, the TCK expands offline). */
export function dspContext(): string[] {
  return [DSP_CONTEXT_URL];
}

/**
 * The purpose the consumer states for a contract request, and the provider writes into the
 * agreement so it is signed and binding (docs/policy.md "Purpose over DSP"): a purpose IRI
 * such as `https://w3id.org/sovereign-connector/vocab#purpose/research/health`. DSP 2025-1
 * has no purpose field; an extra property with an absolute IRI is kept by JSON-LD processors
 * and ignored by plain DSP peers.
 */
export const SOV_PURPOSE = 'https://w3id.org/sovereign-connector/vocab#purpose';
