/**
 * Secrets (keystore passphrase, admin and researcher tokens) come from the environment or from
 * files under `<dataDir>/secrets/` with mode 0600, never from connector.json or anything in git.
 * On first run the missing ones are generated (node:crypto, 256 bits, base64url) and written
 * once; later runs reuse them. A secret file other users can read is refused, as ssh does.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fsyncSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { inspect } from 'node:util';
import { fail, ok, type Result } from '../errors/index.js';

export type SecretOrigin = { kind: 'env'; variable: string } | { kind: 'file'; path: string; created: boolean };

/** A secret that does not print itself: logging a config or an error never leaks it. */
export class SecretValue {
  readonly #value: string;
  constructor(value: string, readonly origin: SecretOrigin) {
    this.#value = value;
  }
  /** The secret itself, for the one place that needs it (kms unlock, token check). */
  reveal(): string {
    return this.#value;
  }
  /** Where it lives, for humans: `env SOVC_ADMIN_TOKEN` or the file path. */
  where(): string {
    return this.origin.kind === 'env' ? `environment variable ${this.origin.variable}` : this.origin.path;
  }
  toString(): string {
    return '[secret]';
  }
  toJSON(): string {
    return '[secret]';
  }
  [inspect.custom](): string {
    return `[secret from ${this.where()}]`;
  }
}

export interface ConnectorSecrets {
  readonly keystorePassphrase: SecretValue;
  readonly adminToken: SecretValue;
  readonly researcherToken: SecretValue;
}

interface SecretSpec {
  readonly key: keyof ConnectorSecrets;
  readonly variable: string;
  readonly fileName: string;
}

const secretSpecs: ReadonlyArray<SecretSpec> = [
  { key: 'keystorePassphrase', variable: 'SOVC_KEYSTORE_PASSPHRASE', fileName: 'keystore-passphrase' },
  { key: 'adminToken', variable: 'SOVC_ADMIN_TOKEN', fileName: 'admin-token' },
  { key: 'researcherToken', variable: 'SOVC_RESEARCHER_TOKEN', fileName: 'researcher-token' },
];

/** Shorter secrets are guessable; generated ones are 43 characters. */
export const MIN_SECRET_LENGTH = 16;

function errno(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}

function readSecretFile(path: string): Result<string> {
  try {
    const mode = statSync(path).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      return fail('SOV_CONFIG_SECRET_INSECURE', `${path} is accessible to other users (mode 0${mode.toString(8)}); run: chmod 600 ${path}`, { path });
    }
    const value = readFileSync(path, 'utf8').trim();
    if (value.length < MIN_SECRET_LENGTH) {
      return fail('SOV_CONFIG_SECRET_INSECURE', `${path} holds fewer than ${MIN_SECRET_LENGTH} characters`, { path });
    }
    return ok(value);
  } catch (error) {
    return fail('SOV_CONFIG_SECRET_UNAVAILABLE', `cannot read ${path} (${errno(error)})`, { path });
  }
}

/** Creates the file exclusively ('wx'), so two processes starting at once never overwrite each other. */
function createSecretFile(path: string): Result<string> {
  const value = randomBytes(32).toString('base64url');
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    return errno(error) === 'EEXIST' ? readSecretFile(path) : fail('SOV_CONFIG_SECRET_UNAVAILABLE', `cannot create ${path} (${errno(error)})`, { path });
  }
  try {
    fchmodSync(fd, 0o600); // the umask may have narrowed the mode; make it exactly 0600
    writeSync(fd, `${value}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return ok(value);
}

function obtainSecret(
  spec: SecretSpec,
  secretsDir: string,
  env: Readonly<Record<string, string | undefined>>,
  prepareDir: () => Result<void>,
): Result<SecretValue> {
  const fromEnv = env[spec.variable]?.trim();
  if (fromEnv !== undefined && fromEnv !== '') {
    if (fromEnv.length < MIN_SECRET_LENGTH) {
      return fail('SOV_CONFIG_SECRET_INSECURE', `${spec.variable} is shorter than ${MIN_SECRET_LENGTH} characters`, { variable: spec.variable });
    }
    return ok(new SecretValue(fromEnv, { kind: 'env', variable: spec.variable }));
  }
  const prepared = prepareDir();
  if (!prepared.ok) return prepared;
  const path = join(secretsDir, spec.fileName);
  let exists = true;
  try {
    statSync(path);
  } catch {
    exists = false;
  }
  const value = exists ? readSecretFile(path) : createSecretFile(path);
  if (!value.ok) return value;
  return ok(new SecretValue(value.value, { kind: 'file', path, created: !exists }));
}

function prepareSecretsDir(secretsDir: string): Result<void> {
  // connectors/ is committed to git; a secret written there would be one `git add` from leaking.
  if (secretsDir.split(sep).includes('connectors')) {
    return fail('SOV_CONFIG_SECRET_LOCATION', `refusing to keep secrets in ${secretsDir}: choose a dataDir outside connectors/`, { path: secretsDir });
  }
  try {
    mkdirSync(secretsDir, { recursive: true, mode: 0o700 });
    // Belt and braces: even inside an unignored folder of a work tree, git skips these files.
    writeFileSync(join(secretsDir, '.gitignore'), '*\n', { mode: 0o600 });
    return ok(undefined);
  } catch (error) {
    return fail('SOV_CONFIG_SECRET_UNAVAILABLE', `cannot create ${secretsDir} (${errno(error)})`, { path: secretsDir });
  }
}

/**
 * Returns the connector's secrets, generating on first run those neither the environment
 * (`SOVC_KEYSTORE_PASSPHRASE`, `SOVC_ADMIN_TOKEN`, `SOVC_RESEARCHER_TOKEN`) nor
 * `<dataDir>/secrets/` supplies (the folder is created only if a file is needed). `adminToken.where()` tells `start` where to point the operator.
 */
export function ensureSecrets(
  dataDir: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Result<ConnectorSecrets> {
  const secretsDir = join(resolve(dataDir), 'secrets');
  let prepared: Result<void> | undefined;
  const prepareDir = (): Result<void> => (prepared ??= prepareSecretsDir(secretsDir));
  const found: Partial<Record<keyof ConnectorSecrets, SecretValue>> = {};
  for (const spec of secretSpecs) {
    const secret = obtainSecret(spec, secretsDir, env, prepareDir);
    if (!secret.ok) return secret;
    found[spec.key] = secret.value;
  }
  return ok(found as ConnectorSecrets);
}
