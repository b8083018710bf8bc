import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConnectorConfig, type ConnectorConfig } from '../../src/config/index.js';
import type { Failure } from '../../src/errors/index.js';
import { minimalConnectorFile, projectWithConfig } from './fixtures.js';

function loadFailure(content: unknown, env: Record<string, string> = {}): Failure {
  const { file } = projectWithConfig(content);
  const result = loadConnectorConfig({ file, env });
  if (result.ok) throw new Error('expected the config to be refused');
  return result;
}

function loaded(content: unknown, env: Record<string, string> = {}): ConnectorConfig {
  const { file } = projectWithConfig(content);
  const result = loadConnectorConfig({ file, env });
  if (!result.ok) throw new Error(result.detail);
  return result.value;
}

describe('loadConnectorConfig: refusals name the file, the field and the problem', () => {
  it('reports a missing file with its path', () => {
    const { root } = projectWithConfig(minimalConnectorFile());
    const result = loadConnectorConfig({ file: join(root, 'connectors', 'xx', 'connector.json'), env: {} });
    expect(result).toMatchObject({ ok: false, code: 'SOV_CONFIG_NOT_FOUND' });
    expect(!result.ok && result.detail).toBe('connectors/xx/connector.json: no such file');
  });

  it('reports invalid JSON with line and column', () => {
    const failure = loadFailure('{\n  "name": "x",\n  "port" 7101\n}');
    expect(failure.code).toBe('SOV_CONFIG_INVALID');
    expect(failure.detail).toMatch(/^connectors\/uk\/connector\.json: invalid JSON at line 3, column 10: /);
    expect(failure.data).toMatchObject({ line: 3, column: 10 });
  });

  it('reports truncated JSON at its end', () => {
    expect(loadFailure('{\n  "name": ').detail).toMatch(/connector\.json: invalid JSON at line 2, column 11: Unexpected end/);
  });

  it('names the port problem exactly as an operator reads it', () => {
    const failure = loadFailure({ ...minimalConnectorFile(), port: 'abc' });
    expect(failure.code).toBe('SOV_CONFIG_INVALID');
    expect(failure.detail).toBe('connectors/uk/connector.json: port: expected an integer between 1 and 65535, got "abc"');
  });

  it.each([
    ['a port out of range', { port: 70000 }, 'port: expected an integer between 1 and 65535, got 70000'],
    ['a fractional port', { port: 71.5 }, 'port: expected an integer between 1 and 65535, got 71.5'],
    ['an upper-case partner code', { partner: 'UK' }, 'partner: expected 2 to 8 lowercase letters, such as "uk", got "UK"'],
    ['an unknown log level', { logLevel: 'loud' }, 'logLevel: expected one of "fatal", "error", "warn", "info", "debug", "trace", "silent", got "loud"'],
    ['a typo in a key', { prot: 7101 }, 'prot: unknown key'],
    ['a non-http public URL', { publicBaseUrl: 'ftp://example.org' }, 'publicBaseUrl: expected an http(s) URL'],
    ['a Postgres URL of another scheme', { databaseUrl: 'mysql://x' }, 'databaseUrl: expected a postgres:// or postgresql:// URL, got "mysql://x"'],
    ['a tiny body limit', { limits: { managementBodyBytes: 10 } }, 'limits.managementBodyBytes: expected an integer number of bytes'],
    ['a registrar path without slash', { registrar: { path: 'registrar' } }, 'registrar.path: expected a URL path starting with "/"'],
  ])('refuses %s', (_name, patch, expected) => {
    const failure = loadFailure({ ...minimalConnectorFile(), ...patch });
    expect(failure.detail).toContain(`connectors/uk/connector.json: ${expected}`);
  });

  it('names nested legal fields and says when a key is missing', () => {
    const file = minimalConnectorFile() as { legal: Record<string, unknown> };
    file.legal = { ...file.legal, registrationNumber: { type: 'vat', value: 'x' }, legalAddress: { countrySubdivisionCode: 'GBENG' } };
    delete file.legal['legalName'];
    const lines = loadFailure(file).detail.split('\n');
    expect(lines).toContain('connectors/uk/connector.json: legal.legalName: expected a non-empty string, got nothing (the key is missing)');
    expect(lines.some((l) => l.startsWith('connectors/uk/connector.json: legal.registrationNumber.type: expected one of "vatID"'))).toBe(true);
    expect(lines).toContain(
      'connectors/uk/connector.json: legal.legalAddress.countrySubdivisionCode: expected an ISO 3166-2 subdivision code such as "GB-ENG", got "GBENG"',
    );
  });

  it('refuses a country code that contradicts the subdivision code', () => {
    const file = minimalConnectorFile() as { legal: Record<string, unknown> };
    file.legal['headquarterAddress'] = { countrySubdivisionCode: 'GB-ENG', countryCode: 'FR' };
    expect(loadFailure(file).detail).toContain('legal.headquarterAddress.countryCode: expected "GB" to match countrySubdivisionCode GB-ENG, got "FR"');
  });

  it('refuses a trust-list key that is not a pinned Ed25519 Multikey, with its index', () => {
    const failure = loadFailure({ ...minimalConnectorFile(), trustList: [{ did: 'did:web:127.0.0.1%3A7102:registrar', keys: ['z6Mkshort'] }] });
    expect(failure.detail).toContain('trustList[0].keys[0]: expected an Ed25519 Multikey');
  });

  it('refuses plain http for a public host, and a registrar port equal to the connector port', () => {
    expect(loadFailure({ ...minimalConnectorFile(), publicBaseUrl: 'http://connector.example.org' }).detail).toContain(
      'publicBaseUrl: expected an https URL (plain http is allowed only on loopback hosts)',
    );
    expect(loadFailure({ ...minimalConnectorFile(), port: 7101, registrar: { enabled: true, port: 7101 } }).detail).toContain(
      "registrar.port: expected a port other than the connector's own port 7101",
    );
  });

  it('refuses a document that is not an object', () => {
    expect(loadFailure('[1, 2]').detail).toBe('connectors/uk/connector.json: (root): expected a JSON object, got [1,2]');
  });

  it('lists every problem at once, not only the first', () => {
    const failure = loadFailure({ ...minimalConnectorFile(), port: 0, host: 'bad host!' });
    expect(failure.detail.split('\n')).toHaveLength(2);
    expect(failure.data?.['issues']).toHaveLength(2);
  });

  it('names the environment variable when the bad value came from the environment', () => {
    const failure = loadFailure(minimalConnectorFile(), { SOVC_PORT: 'abc' });
    expect(failure.detail).toBe('environment variable SOVC_PORT: port: expected an integer between 1 and 65535, got "abc"');
  });
});

describe('loadConnectorConfig: defaults and derived values', () => {
  it('fills every default from a minimal file', () => {
    const { root, file } = projectWithConfig(minimalConnectorFile());
    const result = loadConnectorConfig({ file, env: {} });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({
      host: '127.0.0.1',
      port: 7101,
      publicBaseUrl: 'http://127.0.0.1:7101',
      dataDir: join(root, '.data', 'uk'),
      trustList: [],
      registrar: { enabled: false, path: '/registrar' },
      limits: { managementBodyBytes: 1024 * 1024, dspBodyBytes: 256 * 1024 },
      logLevel: 'info',
      configFile: file,
    });
    expect(result.value.legal.headquarterAddress.countryCode).toBe('GB');
    expect(result.value.databaseUrl).toBeUndefined();
  });

  it('strips a trailing slash from the public base URL and brackets IPv6 hosts', () => {
    expect(loaded({ ...minimalConnectorFile(), publicBaseUrl: 'https://uk.example.org/' }).publicBaseUrl).toBe('https://uk.example.org');
    expect(loaded({ ...minimalConnectorFile(), host: '::1', port: 7000 }).publicBaseUrl).toBe('http://[::1]:7000');
  });

  it('defaults the trusted credential type and keeps pinned keys', () => {
    const key = 'z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
    const config = loaded({ ...minimalConnectorFile(), trustList: [{ did: 'did:web:127.0.0.1%3A7202:registrar', keys: [key] }] });
    expect(config.trustList).toEqual([{ did: 'did:web:127.0.0.1%3A7202:registrar', keys: [key], credentialTypes: ['FederationMembershipCredential'] }]);
  });

  it('is deeply frozen', () => {
    const config = loaded(minimalConnectorFile());
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.legal.registrationNumber)).toBe(true);
    expect(Object.isFrozen(config.trustList)).toBe(true);
    expect(() => {
      (config as { port: number }).port = 1;
    }).toThrow(TypeError);
  });
});

describe('loadConnectorConfig: precedence defaults < file < env < flags', () => {
  const file = { ...minimalConnectorFile(), port: 7201, logLevel: 'warn', registrar: { enabled: true, port: 7202 } };

  it('takes the file over the defaults', () => {
    const config = loaded(file);
    expect([config.port, config.logLevel, config.registrar.port, config.registrar.path]).toEqual([7201, 'warn', 7202, '/registrar']);
  });

  it('takes the environment over the file, key by key', () => {
    const config = loaded(file, {
      SOVC_PORT: '7301',
      SOVC_REGISTRAR_PORT: '7302',
      SOVC_LOG_LEVEL: 'debug',
      DATABASE_URL: 'postgres://db.example/sovc',
      SOVC_REGISTRAR_ENABLED: 'false',
    });
    expect(config.port).toBe(7301);
    expect(config.registrar).toEqual({ enabled: false, port: 7302, path: '/registrar' });
    expect(config.logLevel).toBe('debug');
    expect(config.databaseUrl).toBe('postgres://db.example/sovc');
    expect(config.publicBaseUrl).toBe('http://127.0.0.1:7301');
  });

  it('ignores empty environment variables', () => {
    expect(loaded(file, { SOVC_PORT: '' }).port).toBe(7201);
  });

  it('takes command-line overrides over the environment', () => {
    const { file: path } = projectWithConfig(file);
    const result = loadConnectorConfig({ file: path, env: { SOVC_PORT: '7301', SOVC_LOG_LEVEL: 'debug' }, overrides: { port: 7401 } });
    expect(result.ok && [result.value.port, result.value.logLevel]).toEqual([7401, 'debug']);
  });

  it('names the flag when an override is invalid', () => {
    const { file: path } = projectWithConfig(file);
    const result = loadConnectorConfig({ file: path, env: {}, overrides: { port: 0 }, overridesSource: 'flag --port' });
    expect(!result.ok && result.detail).toBe('flag --port: port: expected an integer between 1 and 65535, got 0');
  });

  it('resolves a relative dataDir against the project root, whatever the working directory', () => {
    const { root, file: path } = projectWithConfig({ ...minimalConnectorFile(), dataDir: 'var/uk' });
    const result = loadConnectorConfig({ file: path, env: {} });
    expect(result.ok && result.value.dataDir).toBe(join(root, 'var', 'uk'));
  });
});
