import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { connectorConfigPath, loadConnectorConfig, type ConnectorConfig } from '../../src/config/index.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const partners = ['uk', 'eu', 'ca', 'au'] as const;

function partnerConfig(partner: string): ConnectorConfig {
  const result = loadConnectorConfig({ file: connectorConfigPath(projectRoot, partner), env: {} });
  if (!result.ok) throw new Error(result.detail);
  return result.value;
}

describe('the four partner configurations shipped in connectors/', () => {
  it.each(partners)('%s validates, names its own partner code and keeps data outside connectors/', (partner) => {
    const config = partnerConfig(partner);
    expect(config.partner).toBe(partner);
    expect(config.host).toBe('127.0.0.1');
    expect(config.dataDir).not.toContain('/connectors/');
  });

  it('gives every connector and registrar its own port', () => {
    const ports = partners.flatMap((partner) => {
      const config = partnerConfig(partner);
      return [config.port, config.registrar.port ?? config.port];
    });
    expect(new Set(ports).size).toBe(ports.length);
  });

  it('uses the subdivision codes of each partner seat', () => {
    expect(partners.map((partner) => partnerConfig(partner).legal.headquarterAddress.countrySubdivisionCode)).toEqual([
      'GB-ENG',
      'BE-BRU',
      'CA-ON',
      'AU-ACT',
    ]);
  });
});
