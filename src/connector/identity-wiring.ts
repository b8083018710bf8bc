/**
 * Mounts the connector's public identity face: its DID document, its self-description (a
 * VP of its Gaia-X participant credential and one service-offering credential per active
 * offering, signed with a fresh challenge so every copy is current), the DCP credential
 * endpoint and health.
 */
import type { Clock, IdGenerator } from '../clock/index.js';
import type { ConnectorConfig } from '../config/index.js';
import { ok, type Result } from '../errors/index.js';
import { identityRoutes, type HttpApp, type JsonObject } from '../http/index.js';
import type { AnswerPresentationQuery } from '../trust/index.js';
import { issueParticipantCredential, type ConnectorIdentity, type VerifiableCredential } from '../identity/index.js';
import { participantClaims } from './participant.js';
import type { StoreAuditLog } from '../audit/index.js';

export interface IdentityWiring {
  http: HttpApp;
  identity: ConnectorIdentity;
  config: ConnectorConfig;
  clock: Clock;
  ids: IdGenerator;
  startedAt: number;
  /** The DCP credential service presenting the membership credential this connector holds. */
  answerPresentationQuery: AnswerPresentationQuery;
  /** The data-protection regime(s) of this partner's jurisdiction profile (gx:dataProtectionRegime). */
  dataProtectionRegime: string[];
  audit: StoreAuditLog;
  /** One service-offering credential per active offering (Gaia-X self-description). */
  offeringCredentials: () => Promise<Result<VerifiableCredential[]>>;
}

const VERSION = '0.1.0';

export function mountIdentity(wiring: IdentityWiring): void {
  const { identity, config, clock, ids } = wiring;
  let participant: Promise<Result<VerifiableCredential>> | undefined;
  const issue = async (): Promise<Result<VerifiableCredential>> => {
    const issued = await issueParticipantCredential({
      did: identity.did,
      signer: identity.signer(),
      documentLoader: identity.documentLoader,
      clock,
      participant: participantClaims(config, wiring.dataProtectionRegime),
    });
    if (issued.ok) {
      await wiring.audit.record({ actor: identity.did, type: 'credential.issued', subjects: [String(issued.value['id'] ?? `${identity.did}#participant`)], details: { type: 'ParticipantCredential' } });
    }
    return issued;
  };
  const participantCredential = () => (participant ??= issue());

  wiring.http.mount(
    '/',
    identityRoutes({
      getDidDocument: () => identity.didDocument() as unknown as JsonObject,
      async getSelfDescription() {
        const credential = await participantCredential();
        if (!credential.ok) return credential;
        const offerings = await wiring.offeringCredentials();
        if (!offerings.ok) return offerings;
        const vp = await identity.present([credential.value, ...offerings.value], { challenge: ids.urn(), domain: identity.did });
        return vp.ok ? ok(vp.value as unknown as JsonObject) : vp;
      },
      answerPresentationQuery: wiring.answerPresentationQuery,
      health: { did: identity.did, version: VERSION, clock, startedAt: wiring.startedAt },
      maxBodyBytes: config.limits.dspBodyBytes,
    }),
  );
}
