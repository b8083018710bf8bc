/**
 * PeerKeys from DID documents (design.md "Trust model"): a peer's X25519 keyAgreement key to
 * seal data keys to, and its Ed25519 assertionMethod keys that sign containers, envelopes and
 * receipts. Resolution goes through the connector's did:web resolver (cached, loopback http
 * only on loopback).
 */
import type { Resolvable } from 'did-resolver';
import { fail, ok } from '../../errors/index.js';
import { resolveDidDocument } from '../../identity/index.js';
import { decodeMultikey } from '../../kms/index.js';
import { findKey, type DidDocumentLike } from '../../trust/index.js';
import type { PeerKeys } from './ports.js';

export function didPeerKeys(didResolver: Resolvable): PeerKeys {
  const documentOf = async (did: string) => {
    const doc = await resolveDidDocument(didResolver, did);
    return doc.ok ? ok(doc.value as unknown as DidDocumentLike) : fail('SOV_TRUST_DID_UNRESOLVABLE', `cannot resolve ${did}: ${doc.detail}`, { did, cause: doc.code });
  };
  return {
    async agreementKey(did) {
      const doc = await documentOf(did);
      if (!doc.ok) return doc;
      const first = [doc.value['keyAgreement']].flat()[0];
      const ref = typeof first === 'string' ? first : (first as { id?: string } | undefined)?.id;
      if (ref === undefined) return fail('SOV_TRUST_KEY_NOT_AUTHORISED', `${did} publishes no keyAgreement key`, { did });
      const keyId = ref.startsWith('#') ? `${did}${ref}` : ref;
      const method = findKey(doc.value, keyId, 'keyAgreement');
      if (!method.ok) return method;
      const key = decodeMultikey(method.value.publicKeyMultibase ?? '');
      if (!key.ok || key.value.type !== 'X25519') return fail('SOV_TRUST_KEY_NOT_AUTHORISED', `key ${keyId} is not an X25519 Multikey`, { keyId });
      return ok({ keyId, publicKey: key.value.publicKey });
    },
    async signingKey(didUrl) {
      const did = didUrl.slice(0, didUrl.indexOf('#'));
      const doc = await documentOf(did);
      if (!doc.ok) return doc;
      const method = findKey(doc.value, didUrl, 'assertionMethod');
      if (!method.ok) return method;
      const key = decodeMultikey(method.value.publicKeyMultibase ?? '');
      if (!key.ok || key.value.type !== 'Ed25519') return fail('SOV_TRUST_KEY_NOT_AUTHORISED', `key ${didUrl} is not an Ed25519 Multikey`, { keyId: didUrl });
      return ok(key.value.publicKey);
    },
  };
}
