/**
 * Finds the Ed25519 public key behind a DID URL for signatures that are not VC proofs (audit
 * checkpoints, transfer receipts), through the same offline document loader VC verification
 * uses. The key must belong to the expected DID and be listed under `assertionMethod`
 * (DID Core §5.3.2): a key the DID subject only authenticates with does not vouch for evidence.
 */
import { fail, ok, type Result } from '../errors/index.js';
import { didDocumentSchema, findVerificationMethod, type DocumentLoader } from '../identity/index.js';
import { decodeMultikey } from '../kms/index.js';

function listedForAssertion(assertionMethod: ReadonlyArray<string | { id: string }> | undefined, methodId: string, did: string): boolean {
  const fragment = methodId.slice(did.length);
  return (assertionMethod ?? []).some((entry) => {
    const id = typeof entry === 'string' ? entry : entry.id;
    return id === methodId || id === fragment;
  });
}

/** The raw Ed25519 public key of `methodId`, which must be `<controller>#<fragment>`. */
export async function assertionKey(documentLoader: DocumentLoader, methodId: string, controller: string): Promise<Result<Uint8Array>> {
  if (!methodId.startsWith(`${controller}#`)) {
    return fail('SOV_IDENTITY_VERIFICATION_METHOD_NOT_FOUND', `${methodId} is not a key of ${controller}`, { methodId, controller });
  }
  let loaded: unknown;
  try {
    loaded = (await documentLoader(controller)).document;
  } catch (error) {
    return fail('SOV_IDENTITY_DID_UNRESOLVABLE', `cannot resolve ${controller}: ${(error as Error).message}`, { did: controller });
  }
  const document = didDocumentSchema.safeParse(loaded);
  const method = document.success && document.data.id === controller ? findVerificationMethod(document.data, methodId) : undefined;
  if (!document.success || method === undefined || !listedForAssertion(document.data.assertionMethod, methodId, controller)) {
    return fail('SOV_IDENTITY_VERIFICATION_METHOD_NOT_FOUND', `${controller} lists no assertion key ${methodId}`, { methodId });
  }
  const key = decodeMultikey(method.publicKeyMultibase ?? '');
  if (!key.ok) return key;
  if (key.value.type !== 'Ed25519') return fail('SOV_IDENTITY_VERIFICATION_METHOD_NOT_FOUND', `${methodId} is not an Ed25519 key`, { methodId });
  return ok(key.value.publicKey);
}
