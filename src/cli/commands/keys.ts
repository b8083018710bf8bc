/**
 * `sovc keys list | rotate <signing|agreement> | destroy <keyId>`: key custody from the command
 * line. The keystore is `<data dir>/keystore.sealed`; its passphrase comes from
 * SOVC_KEYSTORE_PASSPHRASE or a file (default `<data dir>/secrets/keystore-passphrase`).
 * Destroying is irreversible (crypto-shredding), so it asks the operator to type the key id.
 */
import { createInterface } from 'node:readline/promises';
import { Argument, Command, Option } from 'commander';
import { DomainError, fail, unwrap } from '../../errors/index.js';
import type { AuditEventType } from '../../audit/index.js';
import type { FileKms, KeyInfo } from '../../kms/index.js';
import { keystoreFiles, openExistingKeystore } from '../keystore-access.js';
import { renderTable } from '../table.js';
import { recordCliAudit } from '../cli-audit.js';

export interface KeystoreLocation {
  dataDir?: string;
  keystore?: string;
  passphraseFile?: string;
  json?: boolean;
}

/** What the commands touch outside the keystore, injectable for tests. */
export interface KeysIo {
  env: Readonly<Record<string, string | undefined>>;
  out(text: string): void;
  isInteractive: boolean;
  ask(question: string): Promise<string>;
}

/** Opens the existing keystore (never creates one), runs `task`, then wipes the keys from memory. */
async function withKeystore<T>(location: KeystoreLocation, io: KeysIo, task: (kms: FileKms) => Promise<T>): Promise<T> {
  const files = keystoreFiles(location.dataDir ?? io.env['SOVC_DATA_DIR'], location);
  const kms = await openExistingKeystore(files, io.env);
  try {
    return await task(kms);
  } finally {
    kms.close();
  }
}

function table(keys: KeyInfo[]): string {
  const header = ['KEY ID', 'KIND', 'ALGORITHM', 'STATUS', 'CREATED', 'RETIRED/DESTROYED', 'PUBLIC KEY / LABEL'];
  const rows = keys.map((k) => [k.keyId, k.kind, k.algorithm, k.status, k.createdAt, k.destroyedAt ?? k.retiredAt ?? '', k.publicKeyMultibase ?? k.label ?? '']);
  return renderTable(header, rows);
}

function show(io: KeysIo, json: boolean | undefined, value: KeyInfo | KeyInfo[]): void {
  io.out(json ? JSON.stringify(value, null, 2) : table(Array.isArray(value) ? value : [value]));
}

export function keysList(location: KeystoreLocation, io: KeysIo): Promise<void> {
  return withKeystore(location, io, async (kms) => show(io, location.json, kms.listKeys()));
}

function auditKeyEvent(location: KeystoreLocation, io: KeysIo, kms: FileKms, type: AuditEventType, key: KeyInfo): Promise<void> {
  return recordCliAudit(location.dataDir ?? io.env['SOVC_DATA_DIR'], io.env, kms, { type, subjects: [key.keyId], details: { kind: key.kind, algorithm: key.algorithm } });
}

export function keysRotate(kind: 'signing' | 'agreement', location: KeystoreLocation, io: KeysIo): Promise<void> {
  return withKeystore(location, io, async (kms) => {
    const created = await kms.rotate(kind);
    await auditKeyEvent(location, io, kms, 'key.rotated', created);
    show(io, location.json, created);
  });
}

async function confirm(keyId: string, yes: boolean | undefined, io: KeysIo): Promise<void> {
  if (yes) return;
  if (!io.isInteractive) {
    throw new DomainError(fail('SOV_KMS_CONFIRMATION_REQUIRED', `destroying ${keyId} cannot be undone; without a terminal, pass --yes`, { keyId }));
  }
  const answer = await io.ask(`Destroying ${keyId} cannot be undone: what it protects becomes unreadable. Type the key id to confirm: `);
  if (answer.trim() !== keyId) {
    throw new DomainError(fail('SOV_KMS_CONFIRMATION_REQUIRED', `confirmation did not match ${keyId}; nothing was destroyed`, { keyId }));
  }
}

export function keysDestroy(keyId: string, location: KeystoreLocation & { yes?: boolean }, io: KeysIo): Promise<void> {
  return withKeystore(location, io, async (kms) => {
    const key = kms.listKeys().find((k) => k.keyId === keyId);
    if (key === undefined) throw new DomainError(fail('SOV_KMS_KEY_NOT_FOUND', `no key ${keyId} in the keystore`, { keyId }));
    if (key.status === 'destroyed') throw new DomainError(fail('SOV_KMS_KEY_DESTROYED', `key ${keyId} is already destroyed`, { keyId }));
    await confirm(keyId, location.yes, io);
    const destroyed = unwrap(key.kind === 'data' ? await kms.destroyDataKey(keyId) : await kms.destroyRetiredKey(keyId));
    await auditKeyEvent(location, io, kms, key.kind === 'data' ? 'datakey.shredded' : 'key.destroyed', destroyed);
    show(io, location.json, destroyed);
  });
}

const processIo: KeysIo = {
  env: process.env,
  out: (text) => console.log(text),
  isInteractive: Boolean(process.stdin.isTTY),
  async ask(question) {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return await rl.question(question);
    } finally {
      rl.close();
    }
  },
};

function keystoreOptions(command: Command): Command {
  return command
    .option('--data-dir <dir>', 'connector data directory (default: $SOVC_DATA_DIR)')
    .option('--keystore <path>', 'keystore file (default: <data dir>/keystore.sealed)')
    .option('--passphrase-file <path>', 'file holding the passphrase, if SOVC_KEYSTORE_PASSPHRASE is unset (default: <data dir>/secrets/keystore-passphrase)')
    .option('--json', 'print JSON instead of a table');
}

export function register(program: Command): void {
  const keys = program.command('keys').description('Key custody: list, rotate and destroy keys in the sealed keystore');
  keystoreOptions(keys.command('list').description('List every key (public halves only), including retired and destroyed ones'))
    .action((options: KeystoreLocation) => keysList(options, processIo));
  keystoreOptions(keys.command('rotate').description('Make a new active key; the old one stays for verifying and opening'))
    .addArgument(new Argument('<kind>', 'signing or agreement').choices(['signing', 'agreement']))
    .action((kind: 'signing' | 'agreement', options: KeystoreLocation) => keysRotate(kind, options, processIo));
  keystoreOptions(keys.command('destroy').description('Crypto-shred a data key, or destroy a retired signing/agreement key'))
    .argument('<keyId>', 'the key to destroy (see `sovc keys list`)')
    .addOption(new Option('-y, --yes', 'do not ask for confirmation (needed without a terminal)'))
    .action((keyId: string, options: KeystoreLocation & { yes?: boolean }) => keysDestroy(keyId, options, processIo));
}
