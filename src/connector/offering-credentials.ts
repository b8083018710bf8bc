/**
 * Gaia-X style service-offering credentials (identity.md §5), one per active offering, for the
 * self-description. Each is issued once per offering version and kept, so serving the
 * self-description signs only the presentation.
 */
import type { StoreAuditLog } from '../audit/index.js';
import { jsonDigest } from '../dsp/index.js';
import type { Clock } from '../clock/index.js';
import { ok, type Result } from '../errors/index.js';
import { issueServiceOfferingCredential, type ConnectorIdentity, type VerifiableCredential } from '../identity/index.js';
import type { Offering, OfferingListQuery, OfferingPage } from '../offerings/index.js';

/** Offerings listed at most this many pages deep (500 each): a self-description, not a catalogue. */
const MAX_PAGES = 20;

export interface OfferingCredentialsOptions {
  identity: ConnectorIdentity;
  clock: Clock;
  audit: StoreAuditLog;
  dataProtectionRegime: string[];
  list(query: OfferingListQuery): Promise<Result<OfferingPage>>;
}

export function offeringCredentials(options: OfferingCredentialsOptions): () => Promise<Result<VerifiableCredential[]>> {
  const issued = new Map<string, VerifiableCredential>();

  async function credentialFor(offering: Offering): Promise<Result<VerifiableCredential>> {
    const key = `${offering.id}@${offering.version}`;
    const known = issued.get(key);
    if (known !== undefined) return ok(known);
    const credential = await issueServiceOfferingCredential({
      did: options.identity.did,
      signer: options.identity.signer(),
      documentLoader: options.identity.documentLoader,
      clock: options.clock,
      offering: {
        id: offering.id,
        name: offering.title,
        ...(offering.description === undefined ? {} : { description: offering.description }),
        termsAndConditions: { url: offering.offerId, hash: jsonDigest(offering.policy.document) },
        policy: [offering.offerId],
        dataProtectionRegime: options.dataProtectionRegime,
        dataAccountExport: { requestType: 'API', accessType: 'digital', formatType: offering.formats[0] ?? 'HttpData-PULL' },
        classification: offering.classification,
      },
    });
    if (!credential.ok) return credential;
    issued.set(key, credential.value);
    await options.audit.record({ actor: options.identity.did, type: 'credential.issued', subjects: [String(credential.value['id'] ?? offering.id)], details: { type: 'ServiceOfferingCredential', offering: offering.id, version: offering.version } });
    return credential;
  }

  return async () => {
    const credentials: VerifiableCredential[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const listed = await options.list({ status: 'active', limit: 500, ...(cursor === undefined ? {} : { cursor }) });
      if (!listed.ok) return listed;
      for (const offering of listed.value.items) {
        const credential = await credentialFor(offering);
        if (!credential.ok) return credential;
        credentials.push(credential.value);
      }
      cursor = listed.value.nextCursor;
      if (cursor === undefined) break;
    }
    return ok(credentials);
  };
}
