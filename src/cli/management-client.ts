/**
 * The CLI's client of a running connector's management API (`sovc offerings|catalog|
 * negotiations|agreements|transfers …`): where the connector is (`--url`, else the partner's
 * publicBaseUrl from `connectors/<partner>/connector.json`) and which admin token to present
 * (`--token-file`, else SOVC_ADMIN_TOKEN, else `<partner data dir>/secrets/admin-token`).
 * A problem+json answer becomes a DomainError carrying its detail and code, which `sovc`
 * prints before exiting 1.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { connectorConfigPath, loadConnectorConfig, PROJECT_ROOT } from '../config/index.js';
import { DomainError, fail, unwrap, type ErrorCode } from '../errors/index.js';

export interface ManagementTarget {
  partner?: string;
  url?: string;
  tokenFile?: string;
  json?: boolean;
}

/** What the commands touch outside themselves; tests inject their own. */
export interface CliIo {
  env: Readonly<Record<string, string | undefined>>;
  out(text: string): void;
  /** Project root holding connectors/ (default: this checkout). */
  root?: string;
}

export const processIo: CliIo = { env: process.env, out: (text) => console.log(text) };

export type ManagementRequest = <T>(method: string, path: string, body?: unknown) => Promise<T>;

function refuse(detail: string): never {
  throw new DomainError(fail('SOV_BAD_REQUEST', detail));
}

function readToken(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (error) {
    return refuse(`cannot read the admin token from ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

/** The connector's base URL and the token to present (for calls the JSON client does not cover, e.g. file downloads). */
export function locate(target: ManagementTarget, io: CliIo): { base: string; token: string } {
  const fromEnv = io.env['SOVC_ADMIN_TOKEN']?.trim();
  if (target.partner === undefined) {
    if (target.url === undefined) refuse('say which connector: --partner CODE or --url URL');
    const token = target.tokenFile !== undefined ? readToken(target.tokenFile) : fromEnv;
    if (!token) refuse('with --url, give the admin token with --token-file PATH or SOVC_ADMIN_TOKEN');
    return { base: target.url, token };
  }
  const root = io.root ?? PROJECT_ROOT;
  const config = unwrap(loadConnectorConfig({ file: connectorConfigPath(root, target.partner), projectRoot: root, env: io.env }));
  const token = target.tokenFile !== undefined ? readToken(target.tokenFile) : fromEnv || readToken(join(config.dataDir, 'secrets', 'admin-token'));
  return { base: target.url ?? config.publicBaseUrl, token };
}

interface ProblemLike {
  code?: unknown;
  detail?: unknown;
  title?: unknown;
}

/** A refused answer (problem+json) as the DomainError `sovc` prints: its code and detail, and the HTTP status. */
export async function refusalOf(response: Response): Promise<DomainError> {
  const problem = (await response.json().catch(() => ({}))) as ProblemLike;
  const code = typeof problem.code === 'string' ? (problem.code as ErrorCode) : 'SOV_INTERNAL';
  const detail = typeof problem.detail === 'string' ? problem.detail : `HTTP ${response.status}`;
  return new DomainError(fail(code, detail, { status: response.status }));
}

/** `fetch` against the connector at `root`; no answer at all becomes SOV_UPSTREAM_UNAVAILABLE (without a status). */
export async function fetchConnector(root: string, path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(`${root}/api${path}`, init);
  } catch (error) {
    throw new DomainError(fail('SOV_UPSTREAM_UNAVAILABLE', `cannot reach the connector at ${root}: ${(error as Error).message}`));
  }
}

/** A request function bound to the connector `target` names; failures throw DomainError. */
export function managementClient(target: ManagementTarget, io: CliIo): ManagementRequest {
  const { base, token } = locate(target, io);
  const root = base.replace(/\/+$/, '');
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetchConnector(root, path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    if (!response.ok) throw await refusalOf(response);
    return (await response.json().catch(() => ({}))) as T;
  };
}

/** The options every management command takes. */
export function targetOptions(command: Command): Command {
  return command
    .option('--partner <code>', 'the partner whose connector to ask, e.g. uk (its URL and admin token file)')
    .option('--url <url>', 'the connector base URL (default: the partner\'s publicBaseUrl)')
    .option('--token-file <path>', 'file holding the admin token (default: $SOVC_ADMIN_TOKEN, else <data dir>/secrets/admin-token)')
    .option('--json', 'print JSON instead of a table');
}

/** Path segment for an id (URNs contain colons, IRIs slashes). */
export function segment(id: string): string {
  return encodeURIComponent(id);
}
