/**
 * Accreditation at federation start: each nation's registrar accredits its own connector
 * (design.md "Trust model": a registrar vouches only for its nation's agencies) unless the
 * connector already holds a membership credential from it that was not revoked, so a second
 * run, or a run after a killed first one, changes nothing.
 */
import type { ConnectorConfig } from '../config/index.js';
import type { Connector } from '../connector/index.js';
import { ok, type Result } from '../errors/index.js';
import { MEMBERSHIP_CREDENTIAL_TYPE, type MemberRole, type Registrar } from '../trust/index.js';

/** Every demo agency provides, consumes and carries out research; real registrars choose per agency. */
export const DEMO_ROLES: MemberRole[] = ['provider', 'consumer', 'researcher'];

function heldFrom(registrarDid: string, credential: Record<string, unknown>): boolean {
  const types = credential['type'];
  const issuer = credential['issuer'];
  const issuerId = typeof issuer === 'string' ? issuer : (issuer as { id?: unknown } | undefined)?.id;
  return Array.isArray(types) && types.includes(MEMBERSHIP_CREDENTIAL_TYPE) && issuerId === registrarDid;
}

export async function ensureMembership(connector: Connector, registrar: Registrar, config: ConnectorConfig): Promise<Result<'held' | 'accredited'>> {
  const held = (await connector.trust.held.list()).filter((credential) => heldFrom(registrar.did, credential));
  const live = new Set((await registrar.accreditations()).filter((record) => record.subject === connector.did && record.revokedAt === undefined).map((record) => record.credentialId));
  if (held.some((credential) => live.has(String(credential['id'])))) return ok('held');
  const accredited = await registrar.accredit({
    subject: connector.did,
    legalName: config.legal.legalName,
    registrationNumber: config.legal.registrationNumber.value,
    jurisdiction: config.jurisdiction,
    countrySubdivisionCode: config.legal.legalAddress.countrySubdivisionCode,
    roles: DEMO_ROLES,
  });
  if (!accredited.ok) return accredited;
  await connector.trust.held.add(accredited.value.credential as unknown as Record<string, unknown>);
  return ok('accredited');
}
