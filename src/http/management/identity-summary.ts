/**
 * What GET /api/identity shows an admin about this connector: its DID and endpoints, the
 * public half of its signing and key-agreement keys (data keys are not listed: their labels
 * name datasets, and they have no public half), the membership credentials it holds with
 * whether each is within its validity period, and the registrars its trust list accepts.
 * Revocation of a held credential is not checked here (that needs the registrar's status
 * list over the network); verifiers check it on every presentation.
 */
import type { Clock } from '../../clock/index.js';
import type { ConnectorConfig } from '../../config/index.js';
import type { KeyInfo } from '../../kms/index.js';
import type { HeldCredentialStore } from '../../trust/index.js';

export interface PublicKeySummary {
  keyId: string;
  kind: 'signing' | 'agreement';
  algorithm: string;
  status: KeyInfo['status'];
  createdAt: string;
  retiredAt?: string;
  publicKeyMultibase?: string;
}

export interface HeldMembership {
  id?: string;
  issuer: string;
  types: string[];
  validFrom?: string;
  validUntil?: string;
  /** Within its validity period now (revocation not checked, see above). */
  current: boolean;
}

export interface IdentitySummary {
  did: string;
  name: string;
  partner: string;
  jurisdiction: string;
  publicBaseUrl: string;
  keys: PublicKeySummary[];
  membership: { status: 'member' | 'expired' | 'none'; credentials: HeldMembership[] };
  trustList: Array<{ did: string; label?: string; keys: string[]; credentialTypes: string[] }>;
}

export interface IdentitySummaryOptions {
  did: string;
  config: Pick<ConnectorConfig, 'name' | 'partner' | 'jurisdiction' | 'publicBaseUrl' | 'trustList'>;
  kms: { listKeys(): KeyInfo[] };
  held: Pick<HeldCredentialStore, 'list'>;
  clock: Clock;
}

const MEMBERSHIP_TYPE = 'FederationMembershipCredential';

function publicKeys(keys: KeyInfo[]): PublicKeySummary[] {
  return keys.flatMap(({ keyId, kind, algorithm, status, createdAt, retiredAt, publicKeyMultibase }) =>
    kind === 'signing' || kind === 'agreement'
      ? [{ keyId, kind, algorithm, status, createdAt, ...(retiredAt ? { retiredAt } : {}), ...(publicKeyMultibase ? { publicKeyMultibase } : {}) }]
      : [],
  );
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function membershipOf(credential: Record<string, unknown>, now: number): HeldMembership | undefined {
  const types = [credential['type']].flat().filter((t): t is string => typeof t === 'string');
  if (!types.includes(MEMBERSHIP_TYPE)) return undefined;
  const issuer = credential['issuer'];
  const validFrom = text(credential['validFrom']);
  const validUntil = text(credential['validUntil']);
  const started = validFrom === undefined || Date.parse(validFrom) <= now;
  const notEnded = validUntil === undefined || Date.parse(validUntil) > now;
  return {
    ...(text(credential['id']) ? { id: text(credential['id']) } : {}),
    issuer: text(issuer) ?? text((issuer as { id?: unknown } | undefined)?.id) ?? 'unknown',
    types,
    ...(validFrom ? { validFrom } : {}),
    ...(validUntil ? { validUntil } : {}),
    current: started && notEnded,
  };
}

export async function describeIdentity(options: IdentitySummaryOptions): Promise<IdentitySummary> {
  const { config } = options;
  const now = options.clock.now();
  const credentials = (await options.held.list()).flatMap((credential) => membershipOf(credential, now) ?? []);
  const status = credentials.some((c) => c.current) ? 'member' : credentials.length > 0 ? 'expired' : 'none';
  return {
    did: options.did,
    name: config.name,
    partner: config.partner,
    jurisdiction: config.jurisdiction,
    publicBaseUrl: config.publicBaseUrl,
    keys: publicKeys(options.kms.listKeys()),
    membership: { status, credentials },
    trustList: config.trustList.map(({ did, label, keys, credentialTypes }) => ({ did, ...(label ? { label } : {}), keys: [...keys], credentialTypes: [...credentialTypes] })),
  };
}
