import type { ErrorSpec } from '../spec.js';

/**
 * Key custody (src/kms). Keystore-level failures are 500s: they stop a connector at start and
 * are the operator's to fix (passphrase, file); key-level failures are the caller's (4xx).
 */
export const kmsCodes = {
  SOV_KMS_WRONG_PASSPHRASE: { status: 500, title: 'The keystore passphrase is wrong' },
  SOV_KMS_PASSPHRASE_MISSING: { status: 500, title: 'No keystore passphrase was provided' },
  SOV_KMS_KEYSTORE_CORRUPT: { status: 500, title: 'The keystore file is damaged or was tampered with' },
  SOV_KMS_KEYSTORE_NOT_FOUND: { status: 500, title: 'The keystore file does not exist' },
  SOV_KMS_KEYSTORE_EXISTS: { status: 409, title: 'A keystore already exists at this path' },
  SOV_KMS_KEYSTORE_UNREADABLE: { status: 500, title: 'The keystore file cannot be read' },
  SOV_KMS_KEY_NOT_FOUND: { status: 404, title: 'No such key in the keystore' },
  SOV_KMS_KEY_DESTROYED: { status: 410, title: 'The key was destroyed' },
  SOV_KMS_KEY_IN_USE: { status: 409, title: 'An active key cannot be destroyed; rotate it first' },
  SOV_KMS_SEALED_BOX_INVALID: { status: 400, title: 'The sealed box cannot be opened with our keys' },
  SOV_KMS_CONFIRMATION_REQUIRED: { status: 400, title: 'Destroying a key needs explicit confirmation' },
  SOV_KMS_PUBLIC_KEY_INVALID: { status: 400, title: 'The public key is malformed' },
} as const satisfies Record<string, ErrorSpec>;
