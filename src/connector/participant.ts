/**
 * The participant self-description claims (Gaia-X `gx:LegalParticipant`, identity.md §5)
 * taken from the connector's config. `local` registration numbers have no Gaia-X term, so
 * they are published as `gx:taxID`, the closest national-register kind.
 */
import type { ConnectorConfig } from '../config/index.js';
import type { ParticipantClaims, RegistrationNumberKind } from '../identity/index.js';

const GAIA_X_KINDS: ReadonlySet<string> = new Set(['vatID', 'leiCode', 'EORI', 'EUID', 'taxID']);

export function participantClaims(config: ConnectorConfig, dataProtectionRegime: string[]): ParticipantClaims {
  const { legal } = config;
  const kind = (GAIA_X_KINDS.has(legal.registrationNumber.type) ? legal.registrationNumber.type : 'taxID') as RegistrationNumberKind;
  const address = (a: typeof legal.legalAddress) => ({
    countrySubdivisionCode: a.countrySubdivisionCode,
    countryCode: a.countryCode ?? a.countrySubdivisionCode.slice(0, 2),
  });
  return {
    legalName: legal.legalName,
    registrationNumber: { kind, value: legal.registrationNumber.value },
    headquarterAddress: address(legal.headquarterAddress),
    legalAddress: address(legal.legalAddress),
    jurisdiction: config.jurisdiction,
    dataProtectionRegime,
  };
}
