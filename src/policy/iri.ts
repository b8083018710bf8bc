/**
 * Namespaces and the IRIs the evaluator understands. Policies are always compared by expanded
 * IRI, never by compact string (odrl.md "JSON-LD"); the two known context bugs (`neq` mapped to
 * `odrl:neg`, `industry` to `odrl:industry:`) are folded onto the correct IRIs here.
 */
export const ODRL = 'http://www.w3.org/ns/odrl/2/';
export const SOV = 'https://w3id.org/sovereign-connector/vocab#';
export const XSD = 'http://www.w3.org/2001/XMLSchema#';
export const RDF_VALUE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#value';

/** Our ODRL profile: policies may name it in `profile`; any other profile is refused (IM §2.2.2). */
export const SOV_POLICY_PROFILE = 'https://w3id.org/sovereign-connector/policy/v1';
export const SOV_POLICY_CONTEXT = 'https://w3id.org/sovereign-connector/policy/v1';

export const odrl = (term: string): string => `${ODRL}${term}`;
export const sov = (term: string): string => `${SOV}${term}`;
export const xsd = (term: string): string => `${XSD}${term}`;

/** IRIs published with a typo in older ODRL contexts, mapped to the intended term (w3c/poe#311). */
const CONTEXT_BUG_ALIASES: ReadonlyMap<string, string> = new Map([
  [odrl('neg'), odrl('neq')],
  [odrl('industry:'), odrl('industry')],
]);

export function canonicalIri(iri: string): string {
  return CONTEXT_BUG_ALIASES.get(iri) ?? iri;
}

const PREFIXES: ReadonlyArray<[string, string]> = [
  [ODRL, ''],
  [SOV, 'sov:'],
  [XSD, 'xsd:'],
];

const displayed = new Map<string, string>();
const DISPLAY_CACHE_LIMIT = 10_000;

/**
 * Remembers `compute(value)` for the few IRIs requests repeat, so evaluation returns the same
 * string object each time (its hash is then computed once, not per map lookup). Bounded.
 */
export function memoised(compute: (value: string) => string): (value: string) => string {
  const cache = new Map<string, string>();
  return (value) => {
    const cached = cache.get(value);
    if (cached !== undefined) return cached;
    const result = compute(value);
    if (cache.size < DISPLAY_CACHE_LIMIT) cache.set(value, result);
    return result;
  };
}

/** Short, stable display form used in reports: ODRL terms bare, `sov:`/`xsd:` prefixed. Memoised: reports repeat the same few IRIs. */
export function displayIri(iri: string): string {
  const cached = displayed.get(iri);
  if (cached !== undefined) return cached;
  let shown = iri;
  for (const [namespace, prefix] of PREFIXES) {
    if (iri.startsWith(namespace) && iri.length > namespace.length) {
      shown = `${prefix}${iri.slice(namespace.length)}`;
      break;
    }
  }
  if (displayed.size < DISPLAY_CACHE_LIMIT) displayed.set(iri, shown);
  return shown;
}

const PARTNER_ID = /^[a-z]{2,8}(\/[a-z]{2,8})?$/;

/**
 * A place given as a partner id (`ca`, `eu/de`) becomes its `sov:place/...` IRI, so request
 * builders may pass either; anything else is taken as an IRI already.
 */
export const placeIri = memoised((value: string): string => {
  if (PARTNER_ID.test(value)) return sov(`place/${value}`);
  if (value.startsWith('sov:')) return `${SOV}${value.slice(4)}`;
  return value;
});

/** Expands our `sov:` compact form in request values (purposes, roles); IRIs pass through. */
export const expandSov = memoised((value: string): string => (value.startsWith('sov:') ? `${SOV}${value.slice(4)}` : value));

export function isAbsoluteIri(value: string): boolean {
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s]*$/.test(value);
}
