/**
 * The anonymising transform as the composition root builds it: declarations come from the
 * offering's `anonymisation.declarationRef`, a path relative to the connector's folder
 * (`connectors/<partner>/`, where connector.json and its sample `data/` live).
 */
import { dirname } from 'node:path';
import type { OfferingRepository } from '../../offerings/index.js';
import { createAnonymisingTransform, type AnonymisingTransform, type AnonymisingTransformOptions } from '../transform.js';
import { offeringDeclarations } from './offering-declarations.js';
import { offeringStatistics } from './offering-statistics.js';
import { cryptoUniform, type PrivacyBudgetRepository } from '../../anonymise/index.js';

export interface ConnectorTransformOptions extends Omit<AnonymisingTransformOptions, 'declarations' | 'statistics'> {
  offerings: Pick<OfferingRepository, 'get'>;
  /** The connector's connector.json: declaration paths are relative to its folder. */
  configFile: string;
  /** The agreements' ε ledger (`sqlPrivacyBudget(db)`); without it statistics-only offers are refused. */
  budget?: PrivacyBudgetRepository;
}

export function connectorAnonymisingTransform(options: ConnectorTransformOptions): AnonymisingTransform {
  const { offerings, configFile, budget, ...rest } = options;
  const baseDir = dirname(configFile);
  const statistics = budget === undefined ? {} : { statistics: { declarations: offeringStatistics({ offerings, baseDir }), budget, random: cryptoUniform() } };
  return createAnonymisingTransform({ ...rest, ...statistics, declarations: offeringDeclarations({ offerings, baseDir }) });
}
