/**
 * A registrar's files in one data directory, shared by `sovc registrar` and a process that
 * hosts the registrar: `registrar.json` (its public base URL, hence its DID), its own sealed
 * keystore `keystore.sealed` (a registrar never signs with a connector's keys), the passphrase
 * in SOVC_REGISTRAR_PASSPHRASE or `secrets/keystore-passphrase` (generated at init, mode 0600),
 * its status lists `status-lists.json` and its record of issued credentials `accreditations.json`.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Clock, IdGenerator } from '../../clock/index.js';
import { fail, ok, type Result } from '../../errors/index.js';
import { createJsonFileStatusListRepository, shippedJsonLdContexts } from '../../identity/index.js';
import { createFileKms, openKms, type FileKms, type KdfParams } from '../../kms/index.js';
import { createRegistrar, type Registrar } from '../registrar/registrar.js';
import { createJsonFileRegistrarRepository } from './registrar-file-repository.js';
import { readJsonFile, writeJsonFileAtomically } from './json-file.js';

export const REGISTRAR_PASSPHRASE_VARIABLE = 'SOVC_REGISTRAR_PASSPHRASE';

export interface RegistrarDataDirOptions {
  dataDir: string;
  /** Required to create; when opening, must match the recorded one if given. */
  baseUrl?: string;
  clock: Clock;
  env?: Readonly<Record<string, string | undefined>>;
  /** Create the directory, passphrase and keystore when missing (`sovc registrar init`). */
  create?: boolean;
  /** Argon2id cost of a new keystore (tests pass MINIMUM_KDF_PARAMS). */
  kdf?: KdfParams;
  ids?: IdGenerator;
}

export interface OpenedRegistrar {
  registrar: Registrar;
  kms: FileKms;
  /** Wipes the registrar's keys from memory. */
  close(): void;
}

const settingsSchema = z.object({ baseUrl: z.url() });

function settings(options: RegistrarDataDirOptions): Result<string> {
  const path = join(options.dataDir, 'registrar.json');
  const recorded = readJsonFile(path, settingsSchema.optional(), undefined)?.baseUrl;
  const wanted = options.baseUrl?.replace(/\/+$/, '');
  if (recorded !== undefined && wanted !== undefined && recorded !== wanted) {
    return fail('SOV_CONFLICT', `the registrar in ${options.dataDir} is at ${recorded}, not ${wanted}`);
  }
  if (recorded !== undefined) return ok(recorded);
  if (!options.create) return fail('SOV_NOT_FOUND', `no registrar in ${options.dataDir}: run \`sovc registrar init --data-dir ${options.dataDir} --base-url URL\` first`);
  if (wanted === undefined) return fail('SOV_BAD_REQUEST', 'a new registrar needs its public base URL (--base-url), e.g. http://127.0.0.1:7102/registrar');
  writeJsonFileAtomically(path, { baseUrl: wanted });
  return ok(wanted);
}

function passphrase(options: RegistrarDataDirOptions): Result<string> {
  const fromEnv = options.env?.[REGISTRAR_PASSPHRASE_VARIABLE]?.trim();
  if (fromEnv) return ok(fromEnv);
  const file = join(options.dataDir, 'secrets', 'keystore-passphrase');
  if (existsSync(file)) return ok(readFileSync(file, 'utf8').trim());
  if (!options.create) return fail('SOV_KMS_PASSPHRASE_MISSING', `no registrar passphrase: set ${REGISTRAR_PASSPHRASE_VARIABLE} or provide ${file}`);
  mkdirSync(join(options.dataDir, 'secrets'), { recursive: true, mode: 0o700 });
  const generated = randomBytes(32).toString('base64url');
  writeFileSync(file, `${generated}\n`, { mode: 0o600, flag: 'wx' });
  return ok(generated);
}

/** Opens (or with `create`, initialises) the registrar kept in `dataDir`. */
export async function openRegistrarDataDir(options: RegistrarDataDirOptions): Promise<Result<OpenedRegistrar>> {
  const baseUrl = settings(options);
  if (!baseUrl.ok) return baseUrl;
  const secret = passphrase(options);
  if (!secret.ok) return secret;
  const kmsOptions = { path: join(options.dataDir, 'keystore.sealed'), passphrase: secret.value, clock: options.clock, ...(options.kdf === undefined ? {} : { kdf: options.kdf }) };
  const kms = options.create ? await createFileKms(kmsOptions) : await openKms(kmsOptions);
  if (!kms.ok) return kms;
  const registrar = createRegistrar({
    baseUrl: baseUrl.value,
    kms: kms.value,
    clock: options.clock,
    contexts: shippedJsonLdContexts(),
    statusListRepository: createJsonFileStatusListRepository({ path: join(options.dataDir, 'status-lists.json') }),
    registry: createJsonFileRegistrarRepository({ path: join(options.dataDir, 'accreditations.json') }),
    ...(options.ids === undefined ? {} : { ids: options.ids }),
  });
  return ok({ registrar, kms: kms.value, close: () => kms.value.close() });
}
