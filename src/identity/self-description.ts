/**
 * Gaia-X style self-descriptions (identity.md §5, Trust Framework 22.10 "Tagus" terms): a
 * participant credential and one service-offering credential per offering, issued by the
 * connector about itself, presented together in a VP the connector signs. Gaia-X terms are
 * used where they fit (through our offline gx-subset context, as the Gaia-X registry context
 * cannot be fetched); jurisdiction and regime also appear as `sov:` terms our policies read.
 * Deviation: `gx:legalRegistrationNumber` is carried inline rather than as a Notary-issued
 * credential, as no GXDCH notary is part of this federation.
 */
import type { Clock } from '../clock/index.js';
import type { Result } from '../errors/index.js';
import { issueCredential, type VerifiableCredential } from './credentials.js';
import type { DocumentLoader } from './document-loader.js';
import { createPresentation, signPresentation, type VerifiablePresentation } from './presentations.js';
import type { ProofSigner } from './proof-suites.js';
import { VC_V2_CONTEXT } from './standard-contexts.js';

export const SOV_CONTEXT_V1 = 'https://w3id.org/sovereign-connector/v1';
export const GX_SUBSET_CONTEXT_V1 = 'https://w3id.org/sovereign-connector/gx-subset/v1';
const SELF_DESCRIPTION_CONTEXT = [VC_V2_CONTEXT, GX_SUBSET_CONTEXT_V1, SOV_CONTEXT_V1];
const DEFAULT_VALIDITY_MS = 365 * 24 * 3_600_000;

export interface Address {
  /** ISO 3166-2, e.g. `GB-ENG`, `CA-ON`, `AU-NSW`. */
  countrySubdivisionCode: string;
  /** ISO 3166-1 alpha-2 (a Loire addition, kept for readers that expect it). */
  countryCode?: string;
}

/** Tagus registration number kinds (`gx:vatID`, `gx:leiCode`, `gx:EORI`, `gx:EUID`, `gx:taxID`). */
export type RegistrationNumberKind = 'vatID' | 'leiCode' | 'EORI' | 'EUID' | 'taxID';

export interface ParticipantClaims {
  legalName: string;
  registrationNumber: { kind: RegistrationNumberKind; value: string };
  headquarterAddress: Address;
  legalAddress: Address;
  /** Partner code of the jurisdiction profile: `UK`, `EU`, `CA`, `AU`. */
  jurisdiction: string;
  /** E.g. `UK GDPR + DPA 2018`, `GDPR2016`, `PIPEDA`, `Privacy Act 1988`. */
  dataProtectionRegime: string[];
}

export interface ServiceOfferingClaims {
  /** Stable id of the offering (URL or URN). */
  id: string;
  name: string;
  description?: string;
  termsAndConditions: { url: string; hash: string };
  /** ODRL policy ids or URLs attached to the offering. */
  policy: string[];
  dataProtectionRegime: string[];
  dataAccountExport: { requestType: string; accessType: string; formatType: string };
  /** Label in the provider's classification scheme, e.g. `OFFICIAL`. */
  classification?: string;
}

export interface SelfIssueOptions {
  did: string;
  signer: ProofSigner;
  documentLoader: DocumentLoader;
  clock: Clock;
  /** Default one year. */
  validityMs?: number;
}

function address(value: Address): Record<string, string> {
  const gx: Record<string, string> = { 'gx:countrySubdivisionCode': value.countrySubdivisionCode };
  if (value.countryCode !== undefined) gx['gx:countryCode'] = value.countryCode;
  return gx;
}

function envelope(options: SelfIssueOptions, id: string, type: string, subject: Record<string, unknown>): Record<string, unknown> {
  const now = options.clock.now();
  return {
    '@context': SELF_DESCRIPTION_CONTEXT,
    id,
    type: ['VerifiableCredential', type],
    issuer: options.did,
    validFrom: new Date(now).toISOString(),
    validUntil: new Date(now + (options.validityMs ?? DEFAULT_VALIDITY_MS)).toISOString(),
    credentialSubject: subject,
  };
}

export function issueParticipantCredential(options: SelfIssueOptions & { participant: ParticipantClaims }): Promise<Result<VerifiableCredential>> {
  const p = options.participant;
  const subject = {
    id: options.did,
    type: 'gx:LegalParticipant',
    'gx:legalName': p.legalName,
    'gx:legalRegistrationNumber': { id: `${options.did}#registration-number`, [`gx:${p.registrationNumber.kind}`]: p.registrationNumber.value },
    'gx:headquarterAddress': address(p.headquarterAddress),
    'gx:legalAddress': address(p.legalAddress),
    jurisdiction: p.jurisdiction,
    dataProtectionRegime: p.dataProtectionRegime,
  };
  const credential = envelope(options, `${options.did}#participant`, 'ParticipantCredential', subject);
  return issueCredential({ credential, signer: options.signer, documentLoader: options.documentLoader, clock: options.clock });
}

export function issueServiceOfferingCredential(
  options: SelfIssueOptions & { offering: ServiceOfferingClaims },
): Promise<Result<VerifiableCredential>> {
  const o = options.offering;
  const subject: Record<string, unknown> = {
    id: o.id,
    type: 'gx:ServiceOffering',
    name: o.name,
    'gx:providedBy': options.did,
    'gx:termsAndConditions': { 'gx:URL': o.termsAndConditions.url, 'gx:hash': o.termsAndConditions.hash },
    'gx:policy': o.policy,
    'gx:dataProtectionRegime': o.dataProtectionRegime,
    'gx:dataAccountExport': {
      'gx:requestType': o.dataAccountExport.requestType,
      'gx:accessType': o.dataAccountExport.accessType,
      'gx:formatType': o.dataAccountExport.formatType,
    },
  };
  if (o.description !== undefined) subject['description'] = o.description;
  if (o.classification !== undefined) subject['classification'] = o.classification;
  const credential = envelope(options, `${options.did}#offering-${encodeURIComponent(o.id)}`, 'ServiceOfferingCredential', subject);
  return issueCredential({ credential, signer: options.signer, documentLoader: options.documentLoader, clock: options.clock });
}

export interface SelfDescriptionOptions {
  did: string;
  credentials: VerifiableCredential[];
  signer: ProofSigner;
  documentLoader: DocumentLoader;
  clock: Clock;
  /** The requester's nonce (or a fresh one when served to anyone). */
  challenge: string;
  /** The requester's DID, or this connector's own DID for a public copy. */
  domain: string;
}

/** The self-description: participant and offering credentials in a VP the connector signs. */
export async function buildSelfDescription(options: SelfDescriptionOptions): Promise<Result<VerifiablePresentation>> {
  const presentation = createPresentation({
    credentials: options.credentials,
    holder: options.did,
    id: `${options.did}#self-description`,
    clock: options.clock,
  });
  if (!presentation.ok) return presentation;
  return signPresentation({
    presentation: presentation.value,
    signer: options.signer,
    documentLoader: options.documentLoader,
    clock: options.clock,
    challenge: options.challenge,
    domain: options.domain,
  });
}
