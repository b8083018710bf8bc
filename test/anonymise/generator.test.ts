import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { datasetCsv } from '../../scripts/generate-sample-data.js';
import { loadDeclarationFile } from '../../src/anonymise/index.js';
import { unwrap } from '../../src/errors/index.js';
import { anonymiseText } from './fixtures.js';

const SAMPLES = [
  ['uk', 'hospital-episodes'],
  ['eu', 'labour-force-survey'],
  ['ca', 'census'],
  ['au', 'health-records'],
] as const;

describe('seeded sample-data generator', () => {
  it('regenerates the committed sample datasets byte for byte', () => {
    for (const [partner, file] of SAMPLES) {
      const committed = readFileSync(new URL(`../../connectors/${partner}/data/${file}.csv`, import.meta.url), 'utf8');
      expect(datasetCsv(partner) === committed, partner).toBe(true);
    }
  });

  it('depends on the seed', () => {
    expect(datasetCsv('uk', 50, 'a')).toBe(datasetCsv('uk', 50, 'a'));
    expect(datasetCsv('uk', 50, 'a')).not.toBe(datasetCsv('uk', 50, 'b'));
  });

  it('every sample dataset anonymises under its own declaration', async () => {
    for (const [partner, file] of SAMPLES) {
      const declaration = unwrap(await loadDeclarationFile(new URL(`../../connectors/${partner}/data/${file}.anonymisation.json`, import.meta.url).pathname));
      const { result } = await anonymiseText(declaration, readFileSync(new URL(`../../connectors/${partner}/data/${file}.csv`, import.meta.url)));
      const report = unwrap(result);
      expect(report.achieved.k, partner).toBeGreaterThanOrEqual(declaration.model.k);
      expect(report.achieved.l ?? 0, partner).toBeGreaterThanOrEqual(declaration.model.l ?? 0);
    }
  });
});
