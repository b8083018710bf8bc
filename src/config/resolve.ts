/**
 * Cross-field rules and derived defaults: the public base URL defaults to http://<host>:<port>,
 * the data dir to `.data/<partner>` under the project root. Both need the other keys, so they are
 * filled in after the per-key schema has passed.
 */
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { connectorFileSchema, type ConnectorFile } from './schema.js';

/** did:web permits plain http only on loopback (design.md, trust model); elsewhere https. */
export function isLoopbackHost(hostname: string): boolean {
  const bare = hostname.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}

function checkAcrossFields(file: ConnectorFile, ctx: z.RefinementCtx): void {
  if (file.registrar.port !== undefined && file.registrar.port === file.port) {
    ctx.addIssue({
      code: 'custom',
      path: ['registrar', 'port'],
      message: `expected a port other than the connector's own port ${file.port}`,
    });
  }
  if (file.publicBaseUrl !== undefined) {
    const url = new URL(file.publicBaseUrl);
    if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
      ctx.addIssue({
        code: 'custom',
        path: ['publicBaseUrl'],
        message: 'expected an https URL (plain http is allowed only on loopback hosts)',
      });
    }
  }
  const seen = new Set<string>();
  file.trustList.forEach((entry, index) => {
    if (seen.has(entry.did)) {
      ctx.addIssue({ code: 'custom', path: ['trustList', index, 'did'], message: `expected each registrar once; ${entry.did} is listed twice` });
    }
    seen.add(entry.did);
  });
}

function defaultBaseUrl(host: string, port: number): string {
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `http://${bracketed}:${port}`;
}

function derive(file: ConnectorFile, projectRoot: string) {
  const dataDir = file.dataDir ?? `.data/${file.partner}`;
  return {
    ...file,
    publicBaseUrl: (file.publicBaseUrl ?? defaultBaseUrl(file.host, file.port)).replace(/\/+$/, ''),
    dataDir: isAbsolute(dataDir) ? dataDir : resolve(projectRoot, dataDir),
  };
}

/** The whole config schema for one project root: per-key rules, cross-field rules, derived defaults. */
export function connectorConfigSchema(projectRoot: string) {
  return connectorFileSchema.superRefine(checkAcrossFields).transform((file) => derive(file, projectRoot));
}

type DeepReadonly<T> = T extends (infer E)[]
  ? ReadonlyArray<DeepReadonly<E>>
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** A validated, deeply frozen connector configuration. `dataDir` is absolute; `publicBaseUrl` has no trailing slash. */
export type ConnectorConfig = DeepReadonly<ReturnType<typeof derive>> & { readonly configFile: string };

/** Freezes a plain JSON-like value and everything inside it, so no later code can mutate the config. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
