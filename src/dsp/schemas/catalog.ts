/**
 * Catalogue messages and DCAT shapes (dsp.md §3 "Catalog"; upstream `catalog/*.json`):
 * CatalogRequestMessage, DatasetRequestMessage, Catalog, Dataset, Distribution, DataService
 * and CatalogError. A Catalog never carries `hasPolicy`; a Dataset needs at least one offer
 * and one distribution.
 */
import { ref, SCHEMA_IDS } from './ids.js';

const local = (name: string) => ({ $ref: `#/$defs/${name}` });
const context = ref('common', 'Context');
const str = { type: 'string', minLength: 1 };

export const catalogSchema = {
  $id: SCHEMA_IDS.catalog,
  $defs: {
    CatalogRequestMessage: {
      type: 'object',
      properties: { '@context': context, '@type': { const: 'CatalogRequestMessage' }, filter: { type: 'array' } },
      required: ['@context', '@type'],
    },
    DatasetRequestMessage: {
      type: 'object',
      properties: { '@context': context, '@type': { const: 'DatasetRequestMessage' }, dataset: str },
      required: ['@context', '@type', 'dataset'],
    },
    DataService: {
      type: 'object',
      properties: { '@id': str, '@type': { const: 'DataService' }, endpointURL: str },
      required: ['@id', '@type', 'endpointURL'],
    },
    Distribution: {
      type: 'object',
      properties: {
        format: str,
        accessService: { anyOf: [str, local('DataService')] },
        hasPolicy: { type: 'array', items: ref('policy', 'Offer'), minItems: 1 },
      },
      required: ['format', 'accessService'],
    },
    Dataset: {
      type: 'object',
      properties: {
        '@id': str,
        '@type': { const: 'Dataset' },
        hasPolicy: { type: 'array', items: ref('policy', 'Offer'), minItems: 1 },
        distribution: { type: 'array', items: local('Distribution'), minItems: 1 },
      },
      required: ['@id', 'hasPolicy', 'distribution'],
    },
    RootDataset: {
      allOf: [local('Dataset')],
      properties: { '@context': context },
      required: ['@context'],
    },
    Catalog: {
      type: 'object',
      properties: {
        '@id': str,
        '@type': { const: 'Catalog' },
        participantId: str,
        dataset: { type: 'array', items: local('Dataset'), minItems: 1 },
        service: { type: 'array', items: local('DataService'), minItems: 1 },
        catalog: { type: 'array', items: local('Catalog'), minItems: 1 },
        distribution: { type: 'array', items: local('Distribution') },
      },
      required: ['@id', '@type'],
      not: { required: ['hasPolicy'] },
    },
    RootCatalog: {
      allOf: [local('Catalog')],
      properties: { '@context': context },
      required: ['@context', 'participantId'],
    },
    CatalogError: {
      type: 'object',
      properties: {
        '@context': context,
        '@type': { const: 'CatalogError' },
        code: ref('common', 'Code'),
        reason: ref('common', 'Reason'),
      },
      required: ['@context', '@type'],
    },
  },
} as const;
