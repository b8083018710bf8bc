/**
 * A dataset as the data plane keeps it: one encrypted container in the CiphertextStore and,
 * depending on where it came from and how its key is released, a data key in our kms.
 * - `local`: ingested here (`sovc dataset add`), encrypted once under its own DEK.
 * - `received`: pulled from a provider; `handover` keeps the DEK wrapped in our kms,
 *   `owner-held` keeps no key at all: each open asks the owner (issue 7 "Two key-release modes").
 */
export type KeyRelease = 'handover' | 'owner-held';

export interface ReceivedFrom {
  providerDid: string;
  agreementId: string;
  /** The provider's transfer process id (its providerPid): owner-held releases name it. */
  transferId: string;
  /** Where the owner releases keys (owner-held only). */
  keyReleaseEndpoint?: string;
}

/** A signed anonymisation report received with the data, verified when it arrived. */
export interface ReceivedTransformReport {
  /** The report exactly as the provider signed it. */
  signed: unknown;
  /** `jsonDigest` of it: the digest the provider's compliance evidence names. */
  digest: string;
  /** SHA-256 (hex) of the plaintext it describes: checked at every open. */
  plaintextSha256: string;
}

export interface DatasetRecord {
  /** Our record id (`urn:uuid:…`), also the container's object id in the store. */
  id: string;
  /** The DCAT dataset (offering) IRI: the agreement target and the container header's dataset id. */
  offeringId: string;
  /** The container header's dataset version (1, 2, … per offering at the provider). */
  version: string;
  origin: 'local' | 'received';
  containerId: string;
  /** BLAKE2b-256 container digest (docs/format.md §2.3), lowercase hex. */
  containerDigest: string;
  /** Container bytes. */
  size: number;
  plaintextLength: number;
  /** DID URL of the key that signed the container, and that key (base64url), to verify on export. */
  signer: string;
  signerPublicKey: string;
  /** Received datasets: how the provider releases the key (local data is ours to open). */
  keyRelease?: KeyRelease;
  /** The DEK in our kms; absent for owner-held data we received. */
  dataKeyId?: string;
  receivedFrom?: ReceivedFrom;
  /** Received transformed data: the verified report that travelled with it. */
  transformReport?: ReceivedTransformReport;
  status: 'ready' | 'shredded';
  createdAt: string;
  updatedAt: string;
}

/** The compliance digest form of a container digest (`<algorithm>:<hex>`). */
export function containerDigestRef(hex: string): string {
  return `blake2b-256:${hex}`;
}
