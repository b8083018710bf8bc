/**
 * The standard JSON-LD contexts that npm packages ship, merged into one offline map
 * (identity.md §2 "documentLoader", packages.md gotcha 4): VC 1.1/2.0, Data Integrity,
 * Multikey, DID Core and ODRL 2.2. Nothing here is ever fetched.
 */
import { contexts as credentialsContexts } from '@digitalbazaar/credentials-context';
import { contexts as dataIntegrityContexts } from '@digitalbazaar/data-integrity-context';
import { contexts as multikeyContexts } from '@digitalbazaar/multikey-context';
import { contexts as odrlContexts } from '@digitalbazaar/odrl-context';
import { contexts as didContexts } from 'did-context';

export const VC_V2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
const ODRL_CONTEXT_HTTPS = 'https://www.w3.org/ns/odrl.jsonld';
/** ODRL 2.2 §2 publishes its context at the http URL; policies in the wild use both spellings. */
const ODRL_CONTEXT_HTTP = 'http://www.w3.org/ns/odrl.jsonld';

export function standardContexts(): Map<string, unknown> {
  const merged = new Map<string, unknown>();
  for (const source of [credentialsContexts, dataIntegrityContexts, multikeyContexts, didContexts, odrlContexts]) {
    for (const [url, document] of source) merged.set(url, document);
  }
  const odrl = merged.get(ODRL_CONTEXT_HTTPS);
  if (odrl !== undefined) merged.set(ODRL_CONTEXT_HTTP, odrl);
  return merged;
}
