/**
 * The anonymising transform as the composition root builds it: declarations come from the
 * offering's `anonymisation.declarationRef`, a path relative to the connector's folder
 * (`connectors/<partner>/`, where connector.json and its sample `data/` live).
 */
import { dirname } from 'node:path';
import type { OfferingRepository } from '../../offerings/index.js';
import { createAnonymisingTransform, type AnonymisingTransform, type AnonymisingTransformOptions } from '../transform.js';
import { offeringDeclarations } from './offering-declarations.js';

export interface ConnectorTransformOptions extends Omit<AnonymisingTransformOptions, 'declarations'> {
  offerings: Pick<OfferingRepository, 'get'>;
  /** The connector's connector.json: declaration paths are relative to its folder. */
  configFile: string;
}

export function connectorAnonymisingTransform(options: ConnectorTransformOptions): AnonymisingTransform {
  const { offerings, configFile, ...rest } = options;
  return createAnonymisingTransform({ ...rest, declarations: offeringDeclarations({ offerings, baseDir: dirname(configFile) }) });
}
