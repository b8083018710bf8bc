/**
 * Transfer process messages and the DataAddress (dsp.md §3; upstream `transfer/*.json`).
 * Whether a `dataAddress` must be present depends on push vs pull, which only the state
 * machine knows; the schemas check its shape wherever it appears.
 */
import { ref, SCHEMA_IDS } from './ids.js';

const context = ref('common', 'Context');
const str = { type: 'string', minLength: 1 };
const both = { providerPid: str, consumerPid: str };
const codeReason = { code: ref('common', 'Code'), reason: ref('common', 'Reason') };
const errorPids = { providerPid: ref('common', 'ErrorPid'), consumerPid: ref('common', 'ErrorPid') };
const dataAddress = { $ref: '#/$defs/DataAddress' };
const TRANSFER_STATES = ['REQUESTED', 'STARTED', 'SUSPENDED', 'COMPLETED', 'TERMINATED'];

function message(type: string, properties: Record<string, unknown>, required: string[]) {
  return {
    type: 'object',
    properties: { '@context': context, '@type': { const: type }, ...properties },
    required: ['@context', '@type', ...required],
  };
}

export const transferSchema = {
  $id: SCHEMA_IDS.transfer,
  $defs: {
    EndpointProperty: {
      type: 'object',
      properties: { '@type': { const: 'EndpointProperty' }, name: str, value: { type: 'string' } },
      required: ['@type', 'name', 'value'],
    },
    DataAddress: {
      type: 'object',
      properties: {
        '@type': { const: 'DataAddress' },
        endpointType: str,
        endpoint: str,
        endpointProperties: { type: 'array', items: { $ref: '#/$defs/EndpointProperty' }, minItems: 1 },
      },
      required: ['@type', 'endpointType', 'endpoint'],
    },
    TransferRequestMessage: message(
      'TransferRequestMessage',
      { consumerPid: str, agreementId: str, format: str, callbackAddress: str, dataAddress },
      ['consumerPid', 'agreementId', 'format', 'callbackAddress'],
    ),
    TransferStartMessage: message('TransferStartMessage', { ...both, dataAddress }, ['providerPid', 'consumerPid']),
    TransferSuspensionMessage: message('TransferSuspensionMessage', { ...both, ...codeReason }, ['providerPid', 'consumerPid']),
    TransferCompletionMessage: message('TransferCompletionMessage', both, ['providerPid', 'consumerPid']),
    TransferTerminationMessage: message('TransferTerminationMessage', { ...both, ...codeReason }, ['providerPid', 'consumerPid']),
    TransferProcess: message('TransferProcess', { ...both, state: { enum: TRANSFER_STATES } }, ['providerPid', 'consumerPid', 'state']),
    TransferError: message('TransferError', { ...errorPids, ...codeReason }, ['providerPid', 'consumerPid']),
  },
} as const;
