/**
 * docker-compose.yml as an operator relies on it (issue 9 "Postgres store and docker-compose"):
 * the four partners each with a registrar + connector container and a Postgres of their own,
 * state in named volumes, health checks gating start-up, and no secret written in the file.
 * CI also runs `docker-compose config -q` on it; this test checks what that validator cannot.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Service {
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  secrets?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[] };
  network_mode?: string;
  ports?: string[];
  build?: unknown;
  image?: string;
}

interface ComposeFile {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
  secrets: Record<string, { file?: string }>;
}

const text = readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8');
// `merge: true` resolves the `<<: *partner` keys as Compose does.
const compose = parse(text, { merge: true }) as ComposeFile;
const partners = ['uk', 'eu', 'ca', 'au'];

function service(name: string): Service {
  const found = compose.services[name];
  if (found === undefined) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

/** `name:/path` volume entries whose source is a name (not a host path). */
function namedVolumeSources(entries: string[] = []): string[] {
  return entries.map((entry) => entry.split(':')[0] ?? '').filter((source) => !/^[./~]/.test(source));
}

describe('docker-compose.yml', () => {
  it('runs exactly the four partners, each as `sovc start <partner>` with its own database service', () => {
    expect(Object.keys(compose.services).sort()).toEqual([...partners, ...partners.map((p) => `${p}-db`), ...partners.map((p) => `${p}-registrar-init`)].sort());
    for (const code of partners) {
      expect(service(code).command).toEqual(['start', code]);
      expect(service(code).image).toBe('sovc-connector:local');
      expect(service(code).build).toBeDefined();
      expect(service(`${code}-db`).image).toMatch(/^postgres:15/);
    }
  });

  it("points each connector's DATABASE_URL at its own database server, user and database", () => {
    const urls = partners.map((code) => new URL(service(code).environment?.['DATABASE_URL'] ?? ''));
    for (const [index, code] of partners.entries()) {
      const url = urls[index] as URL;
      const db = service(`${code}-db`);
      expect(url.protocol).toBe('postgres:');
      expect(url.pathname).toBe(`/${db.environment?.['POSTGRES_DB']}`);
      expect(url.username).toBe(db.environment?.['POSTGRES_USER']);
      // The connector shares the host network; its database is published on that loopback port.
      expect(db.ports).toEqual([`127.0.0.1:${url.port}:5432`]);
      expect(service(code).depends_on?.[`${code}-db`]).toEqual({ condition: 'service_healthy' });
    }
    expect(new Set(urls.map((url) => url.port)).size).toBe(partners.length);
    expect(new Set(urls.map((url) => url.pathname)).size).toBe(partners.length);
  });

  it('keeps every loopback DID distinct and consistent with the published base URL', () => {
    const ports = partners.flatMap((code) => {
      const env = service(code).environment ?? {};
      expect(service(code).network_mode).toBe('host');
      expect(env['SOVC_HOST']).toBe('127.0.0.1');
      expect(env['SOVC_PUBLIC_BASE_URL']).toBe(`http://127.0.0.1:${env['SOVC_PORT']}`);
      return [env['SOVC_PORT'], env['SOVC_REGISTRAR_PORT'], new URL(env['DATABASE_URL'] ?? '').port];
    });
    expect(new Set(ports).size).toBe(ports.length);
  });

  it('keeps keystores, data dirs and database files in named volumes, one set per partner', () => {
    for (const code of partners) {
      expect(service(code).environment?.['SOVC_DATA_DIR']).toBe('/data');
      // Its own data volume, and the shared folder of registrar trust entries, read-only.
      expect(service(code).volumes).toEqual([`${code}-data:/data`, 'federation-trust:/federation:ro']);
      expect(service(`${code}-db`).volumes).toEqual([`${code}-db:/var/lib/postgresql/data`]);
    }
    const used = new Set(Object.values(compose.services).flatMap((s) => namedVolumeSources(s.volumes)));
    expect([...used].sort()).toEqual(Object.keys(compose.volumes).sort());
    const bindMounts = Object.values(compose.services).flatMap((s) => (s.volumes ?? []).filter((v) => /^[./~]/.test(v)));
    expect(bindMounts).toEqual([]);
  });

  it('has a health check on every long-running service', () => {
    for (const [name, entry] of Object.entries(compose.services)) {
      if (name.endsWith('-registrar-init')) continue;
      expect(entry.healthcheck?.test?.[0], name).toBe('CMD');
    }
    for (const code of partners) {
      const port = service(code).environment?.['SOVC_PORT'];
      expect(service(code).healthcheck?.test?.join(' ')).toContain(`http://127.0.0.1:${port}/health`);
      expect(service(`${code}-db`).healthcheck?.test).toContain('pg_isready');
    }
  });

  it('publishes every registrar trust entry before any partner starts, and every partner trusts all four', () => {
    for (const code of partners) {
      const init = service(`${code}-registrar-init`);
      const port = Number(service(code).environment?.['SOVC_REGISTRAR_PORT']);
      expect(init.command).toEqual(['registrar', 'init', '--data-dir', '/data/registrar', '--base-url', `http://127.0.0.1:${port}/registrar`, '--out', `/federation/${code}.json`]);
      expect(init.volumes).toEqual([`${code}-data:/data`, 'federation-trust:/federation']);
      expect(service(code).environment?.['SOVC_TRUST_DIR']).toBe('/federation');
      expect(service(code).volumes).toContain('federation-trust:/federation:ro');
      const dependsOn = service(code).depends_on ?? {};
      for (const other of partners) expect(dependsOn[`${other}-registrar-init`]).toEqual({ condition: 'service_completed_successfully' });
    }
  });

  it('writes no secret: passwords come from secret files that git and the image build ignore', () => {
    for (const [name, entry] of Object.entries(compose.services)) {
      for (const [variable, value] of Object.entries(entry.environment ?? {})) {
        if (/PASSWORD|PASSPHRASE|TOKEN|SECRET/i.test(variable)) {
          expect(variable, name).toMatch(/_FILE$/);
          expect(value, name).toMatch(/^\/run\/secrets\/[a-z_]+$/);
        }
      }
      const url = entry.environment?.['DATABASE_URL'];
      if (url !== undefined) expect(new URL(url).password, name).toBe('');
    }
    for (const code of partners) {
      const secret = `${code}_db_password`;
      expect(service(code).secrets).toEqual([secret]);
      expect(service(`${code}-db`).secrets).toEqual([secret]);
      expect(compose.secrets[secret]?.file).toBe(`./.data/compose-secrets/${code}-db-password`);
    }
    const gitignore = readFileSync(new URL('../../.gitignore', import.meta.url), 'utf8');
    expect(gitignore.split('\n')).toContain('/.data/');
    expect(text).not.toMatch(/postgres(ql)?:\/\/[^@\s/]+:[^@\s]+@/);
  });

  it('builds an image that holds no keystore or secret and runs unprivileged', () => {
    const dockerfile = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8');
    const dockerignore = readFileSync(new URL('../../.dockerignore', import.meta.url), 'utf8').split('\n');
    expect(dockerignore[dockerignore.findIndex((line) => !line.startsWith('#'))]).toBe('*');
    expect(dockerignore).not.toContain('!.data/');
    expect(dockerignore).toEqual(expect.arrayContaining(['**/secrets', '**/*.sealed', '**/.data']));
    expect(dockerfile).toMatch(/^FROM node:20-bookworm-slim$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n?.*\/health/m);
    expect(dockerfile).not.toMatch(/^COPY \. /m);
    expect(dockerfile).not.toMatch(/SOVC_(KEYSTORE_PASSPHRASE|ADMIN_TOKEN|RESEARCHER_TOKEN|REGISTRAR_PASSPHRASE)=/);
  });
});
