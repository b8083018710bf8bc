/**
 * The DID document a connector publishes at `/.well-known/did.json`, built from its kms
 * public keys (active signing key first, retired signing keys kept for verification, only the
 * active agreement key) and its base URL.
 */
import type { Kms, PublicKey } from '../kms/ports.js';
import { buildDidDocument, type DidDocument } from './did-document.js';

function activeFirst(active: PublicKey, all: PublicKey[]): PublicKey[] {
  return [active, ...all.filter((k) => k.keyId !== active.keyId)];
}

export interface ConnectorDidOptions {
  did: string;
  kms: Pick<Kms, 'activeSigningKey' | 'verificationKeys' | 'activeAgreementKey'>;
  /** The connector's public base URL, e.g. `http://127.0.0.1:7001`. */
  baseUrl: string;
}

export function connectorDidDocument(options: ConnectorDidOptions): DidDocument {
  const base = options.baseUrl.replace(/\/+$/, '');
  return buildDidDocument({
    did: options.did,
    signingKeys: activeFirst(options.kms.activeSigningKey(), options.kms.verificationKeys()),
    // Only the active X25519 key: senders must never encrypt to a retired one.
    agreementKeys: [options.kms.activeAgreementKey()],
    // DSP 2025-1 §4.3 discovery and DCP's credential service (identity.md §3).
    dspEndpoint: `${base}/.well-known/dspace-version`,
    credentialEndpoint: `${base}/cs`,
  });
}
