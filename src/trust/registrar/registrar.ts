/**
 * A national registrar (design.md "Trust model"; identity.md §7.1): an issuer with its own
 * did:web DID, usually under a path (`http://127.0.0.1:7102/registrar` →
 * `did:web:127.0.0.1%3A7102:registrar`, document at `/registrar/did.json`), that accredits the
 * agencies of its nation with a `FederationMembershipCredential` carrying a revocation entry
 * in the Bitstring Status List it hosts (`<base>/status/revocation/1`), and revokes them.
 * It can run inside a connector's process or on its own; its routes are in `../http/`.
 */
import { z } from 'zod';
import { isoTime, uuidGenerator, type Clock, type IdGenerator } from '../../clock/index.js';
import { fail, ok, type Result } from '../../errors/index.js';
import {
  createConnectorIdentity,
  DID_CONTEXT_V1,
  MULTIKEY_CONTEXT_V1,
  type DidDocument,
  type StatusListRepository,
  type VerifiableCredential,
} from '../../identity/index.js';
import type { Kms, PublicKey } from '../../kms/index.js';
import { buildMembershipCredential, membershipClaimsSchema, type AccreditationInput } from '../membership.js';
import type { AccreditationRecord, RegistrarRepository } from './ports.js';

export interface RegistrarOptions {
  /** Public base URL of the registrar, path included; its DID derives from it. */
  baseUrl: string;
  /** The registrar's own keystore (not a connector's). */
  kms: Kms;
  clock: Clock;
  /** Offline JSON-LD contexts: `shippedJsonLdContexts()`. */
  contexts: ReadonlyMap<string, unknown>;
  statusListRepository: StatusListRepository;
  registry: RegistrarRepository;
  ids?: IdGenerator;
  /** Default ≈ 1 year. */
  validityMs?: number;
}

export interface Registrar {
  did: string;
  baseUrl: string;
  /** Served at `<path>/did.json`: signing keys only, no services (a registrar is no connector). */
  didDocument(): DidDocument;
  /** The signed revocation list credential, served at `<path>/status/revocation/1`. */
  statusListCredential(): Promise<Result<Record<string, unknown>>>;
  accredit(input: AccreditationInput): Promise<Result<{ credentialId: string; credential: VerifiableCredential }>>;
  revoke(credentialId: string): Promise<Result<AccreditationRecord>>;
  accreditations(): Promise<AccreditationRecord[]>;
}

const accreditationSchema = membershipClaimsSchema.extend({
  subject: z.string().regex(/^did:[a-z0-9]+:\S+$/, 'expected the member connector\'s DID, e.g. "did:web:127.0.0.1%3A7101"'),
});

function registrarDidDocument(did: string, kms: Pick<Kms, 'activeSigningKey' | 'verificationKeys'>): DidDocument {
  const active = kms.activeSigningKey();
  const keys: PublicKey[] = [active, ...kms.verificationKeys().filter((k) => k.keyId !== active.keyId)];
  const ref = (k: PublicKey): string => `${did}#${k.keyId}`;
  return {
    '@context': [DID_CONTEXT_V1, MULTIKEY_CONTEXT_V1],
    id: did,
    verificationMethod: keys.map((k) => ({ id: ref(k), type: 'Multikey', controller: did, publicKeyMultibase: k.publicKeyMultibase })),
    // Retired keys stay under assertionMethod so members accredited before a rotation stay valid.
    assertionMethod: keys.map(ref),
    authentication: [ref(active)],
    capabilityInvocation: [ref(active)],
  };
}

export function createRegistrar(options: RegistrarOptions): Registrar {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const { clock, registry } = options;
  const ids = options.ids ?? uuidGenerator;
  const identity = createConnectorIdentity({
    baseUrl,
    kms: options.kms,
    clock,
    contexts: options.contexts,
    statusListRepository: options.statusListRepository,
  });

  async function accredit(input: AccreditationInput): Promise<Result<{ credentialId: string; credential: VerifiableCredential }>> {
    const parsed = accreditationSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return fail('SOV_VALIDATION_FAILED', `accreditation ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
    }
    const credentialId = ids.urn();
    const unsigned = buildMembershipCredential({
      id: credentialId,
      registrarDid: identity.did,
      input: parsed.data,
      nowMs: clock.now(),
      ...(options.validityMs === undefined ? {} : { validityMs: options.validityMs }),
    });
    const issued = await identity.issue(unsigned, { withStatus: true });
    if (!issued.ok) return issued;
    const { subject, legalName, jurisdiction, roles } = parsed.data;
    await registry.record({
      credentialId,
      subject,
      legalName,
      jurisdiction,
      roles,
      issuedAt: isoTime(clock),
      validUntil: String(unsigned['validUntil']),
      credential: issued.value,
    });
    return ok({ credentialId, credential: issued.value });
  }

  async function revoke(credentialId: string): Promise<Result<AccreditationRecord>> {
    const record = await registry.get(credentialId);
    if (record === undefined) return fail('SOV_TRUST_ACCREDITATION_UNKNOWN', `registrar ${identity.did} issued no membership credential ${credentialId}`);
    if (record.revokedAt !== undefined) return ok(record);
    const flipped = await identity.statusList.revoke(credentialId);
    if (!flipped.ok) return flipped;
    const revokedAt = isoTime(clock);
    await registry.markRevoked(credentialId, revokedAt);
    return ok({ ...record, revokedAt });
  }

  return {
    did: identity.did,
    baseUrl,
    didDocument: () => registrarDidDocument(identity.did, options.kms),
    statusListCredential: () => identity.statusList.listCredential(),
    accredit,
    revoke,
    accreditations: () => registry.list(),
  };
}
