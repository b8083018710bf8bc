/**
 * In-process partners for end-to-end tests: a partner's real connector.json with a free
 * loopback port, a temporary data directory, fixed test secrets and the cheapest Argon2id
 * parameters, built through the composition root like `sovc start` does.
 */
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../src/clock/index.js';
import { createConnector, type Connector } from '../../src/connector/index.js';
import { unwrap } from '../../src/errors/index.js';
import { createLogger } from '../../src/http/index.js';
import { MINIMUM_KDF_PARAMS } from '../../src/kms/index.js';
import { loadPartner } from '../../src/config/index.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface TestPartnerOptions {
  clock?: Clock;
  dataDir?: string;
}

/** Builds (not yet started) the connector of partner `code` on a free port in a temp dir. */
export async function testConnector(code: string, options: TestPartnerOptions = {}): Promise<Connector> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), `sovc-${code}-`));
  const env = {
    SOVC_KEYSTORE_PASSPHRASE: `test passphrase for ${code}`,
    SOVC_ADMIN_TOKEN: `admin-token-for-${code}-tests`,
    SOVC_RESEARCHER_TOKEN: `researcher-token-for-${code}-tests`,
  };
  const partner = unwrap(
    loadPartner(code, { env, overrides: { port: await freePort(), dataDir, registrar: { port: await freePort() }, logLevel: 'silent' } }),
  );
  return unwrap(
    await createConnector({
      ...partner,
      kdf: MINIMUM_KDF_PARAMS,
      logger: createLogger({ level: 'silent' }),
      ...(options.clock ? { clock: options.clock } : {}),
    }),
  );
}
