import type { ErrorSpec } from '../spec.js';

/** Data plane (docs/format.md): container integrity, key envelopes, ciphertext store. */
export const dataplaneCodes = {
  SOV_DATAPLANE_NOT_A_CONTAINER: { status: 422, title: 'The bytes do not start with the container magic' },
  SOV_DATAPLANE_UNSUPPORTED_FORMAT: { status: 422, title: 'The container format version or suite is not supported' },
  SOV_DATAPLANE_HEADER_INVALID: { status: 422, title: 'The container header is malformed' },
  SOV_DATAPLANE_TRUNCATED: { status: 422, title: 'The container ends before its final chunk and trailer' },
  SOV_DATAPLANE_FRAMING_INVALID: { status: 422, title: 'A chunk record, the end marker or the trailer is malformed' },
  SOV_DATAPLANE_CHUNK_AUTH_FAILED: { status: 422, title: 'A chunk failed authenticated decryption' },
  SOV_DATAPLANE_DIGEST_MISMATCH: { status: 422, title: 'The container digest does not match its bytes' },
  SOV_DATAPLANE_SIGNATURE_INVALID: { status: 422, title: 'The container signature does not verify under the expected key' },
  SOV_DATAPLANE_UNEXPECTED_SIGNER: { status: 422, title: 'The container names another signer than expected' },
  SOV_DATAPLANE_SOURCE_LENGTH_MISMATCH: { status: 400, title: 'The plaintext source length differs from the declared length' },
  SOV_DATAPLANE_ENVELOPE_MALFORMED: { status: 422, title: 'The key envelope does not match its schema' },
  SOV_DATAPLANE_ENVELOPE_SIGNATURE_INVALID: { status: 403, title: 'The key envelope signature does not verify under the issuer key' },
  SOV_DATAPLANE_ENVELOPE_WRONG_ISSUER: { status: 403, title: 'The key envelope was issued by another party' },
  SOV_DATAPLANE_ENVELOPE_WRONG_RECIPIENT: { status: 403, title: 'The key envelope is addressed to another recipient' },
  SOV_DATAPLANE_ENVELOPE_WRONG_TRANSFER: { status: 403, title: 'The key envelope is bound to another transfer' },
  SOV_DATAPLANE_ENVELOPE_WRONG_AGREEMENT: { status: 403, title: 'The key envelope is bound to another agreement' },
  SOV_DATAPLANE_ENVELOPE_WRONG_CONTAINER: { status: 403, title: 'The key envelope is bound to another container or dataset' },
  SOV_DATAPLANE_ENVELOPE_EXPIRED: { status: 403, title: 'The key envelope has expired' },
  SOV_DATAPLANE_KEY_RELEASE_SPENT: { status: 403, title: 'A one-time key release was already used' },
  SOV_DATAPLANE_OBJECT_ID_INVALID: { status: 400, title: 'The ciphertext object id is not allowed' },
  SOV_DATAPLANE_OBJECT_NOT_FOUND: { status: 404, title: 'No such ciphertext object' },
  SOV_DATAPLANE_OBJECT_EXISTS: { status: 409, title: 'A ciphertext object with this id already exists' },
  SOV_DATAPLANE_RANGE_INVALID: { status: 416, title: 'The requested chunk or byte range is outside the object' },
  SOV_DATAPLANE_STORE_IO: { status: 500, title: 'The ciphertext store could not read or write' },
} as const satisfies Record<string, ErrorSpec>;
