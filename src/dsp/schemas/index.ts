/**
 * Our DSP 2025-1 JSON Schemas (draft 2019-09), one module per protocol area, and the
 * definition that validates each message `@type`.
 */
import type { DspMessageType } from '../types.js';
import { catalogSchema } from './catalog.js';
import { commonSchema } from './common.js';
import { SCHEMA_IDS } from './ids.js';
import { negotiationSchema } from './negotiation.js';
import { policySchema } from './policy.js';
import { transferSchema } from './transfer.js';
import { versionSchema } from './version.js';

export const allSchemas = [commonSchema, policySchema, catalogSchema, negotiationSchema, transferSchema, versionSchema];

type Area = keyof typeof SCHEMA_IDS;

/** Which schema definition checks a given message type (root forms for Catalog/Dataset). */
const DEFINITION_OF: Record<DspMessageType, [Area, string]> = {
  CatalogRequestMessage: ['catalog', 'CatalogRequestMessage'],
  DatasetRequestMessage: ['catalog', 'DatasetRequestMessage'],
  Catalog: ['catalog', 'RootCatalog'],
  Dataset: ['catalog', 'RootDataset'],
  CatalogError: ['catalog', 'CatalogError'],
  ContractRequestMessage: ['negotiation', 'ContractRequestMessage'],
  ContractOfferMessage: ['negotiation', 'ContractOfferMessage'],
  ContractAgreementMessage: ['negotiation', 'ContractAgreementMessage'],
  ContractAgreementVerificationMessage: ['negotiation', 'ContractAgreementVerificationMessage'],
  ContractNegotiationEventMessage: ['negotiation', 'ContractNegotiationEventMessage'],
  ContractNegotiationTerminationMessage: ['negotiation', 'ContractNegotiationTerminationMessage'],
  ContractNegotiation: ['negotiation', 'ContractNegotiation'],
  ContractNegotiationError: ['negotiation', 'ContractNegotiationError'],
  TransferRequestMessage: ['transfer', 'TransferRequestMessage'],
  TransferStartMessage: ['transfer', 'TransferStartMessage'],
  TransferSuspensionMessage: ['transfer', 'TransferSuspensionMessage'],
  TransferCompletionMessage: ['transfer', 'TransferCompletionMessage'],
  TransferTerminationMessage: ['transfer', 'TransferTerminationMessage'],
  TransferProcess: ['transfer', 'TransferProcess'],
  TransferError: ['transfer', 'TransferError'],
  DataAddress: ['transfer', 'DataAddress'],
  VersionResponse: ['version', 'VersionResponse'],
};

export function schemaRefFor(type: DspMessageType): string {
  const [area, def] = DEFINITION_OF[type];
  return `${SCHEMA_IDS[area]}#/$defs/${def}`;
}

export const DSP_MESSAGE_TYPES = Object.keys(DEFINITION_OF) as DspMessageType[];
