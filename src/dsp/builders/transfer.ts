/**
 * Outbound transfer process messages, ACK / error bodies and DataAddress (dsp.md §3, §6),
 * consumer and provider side.
 */
import { dspContext } from '../context.js';
import type {
  DataAddress,
  TransferCompletionMessage,
  TransferError,
  TransferProcessAck,
  TransferRequestMessage,
  TransferStartMessage,
  TransferState,
  TransferSuspensionMessage,
  TransferTerminationMessage,
} from '../types.js';
import { codeAndReason, type CodeAndReason } from './shared.js';

interface Pids {
  providerPid: string;
  consumerPid: string;
}

/** A DataAddress; `properties` become `EndpointProperty` entries (e.g. authorization, authType). */
export function dataAddress(input: {
  endpointType: string;
  endpoint: string;
  properties?: Record<string, string>;
}): DataAddress {
  const entries = Object.entries(input.properties ?? {});
  return {
    '@type': 'DataAddress',
    endpointType: input.endpointType,
    endpoint: input.endpoint,
    ...(entries.length === 0
      ? {}
      : { endpointProperties: entries.map(([name, value]) => ({ '@type': 'EndpointProperty' as const, name, value })) }),
  };
}

/** C→P. `dataAddress` only for push formats (the consumer's sink). */
export function transferRequestMessage(input: {
  consumerPid: string;
  agreementId: string;
  format: string;
  callbackAddress: string;
  dataAddress?: DataAddress;
}): TransferRequestMessage {
  return {
    '@context': dspContext(),
    '@type': 'TransferRequestMessage',
    consumerPid: input.consumerPid,
    agreementId: input.agreementId,
    format: input.format,
    callbackAddress: input.callbackAddress,
    ...(input.dataAddress === undefined ? {} : { dataAddress: input.dataAddress }),
  };
}

/** P→C (or C→P to resume). `dataAddress` is required for pull when the provider starts. */
export function transferStartMessage(input: Pids & { dataAddress?: DataAddress }): TransferStartMessage {
  return {
    '@context': dspContext(),
    '@type': 'TransferStartMessage',
    ...pids(input),
    ...(input.dataAddress === undefined ? {} : { dataAddress: input.dataAddress }),
  };
}

export function transferSuspensionMessage(input: Pids & CodeAndReason): TransferSuspensionMessage {
  return { '@context': dspContext(), '@type': 'TransferSuspensionMessage', ...pids(input), ...codeAndReason(input) };
}

export function transferCompletionMessage(input: Pids): TransferCompletionMessage {
  return { '@context': dspContext(), '@type': 'TransferCompletionMessage', ...pids(input) };
}

export function transferTerminationMessage(input: Pids & CodeAndReason): TransferTerminationMessage {
  return { '@context': dspContext(), '@type': 'TransferTerminationMessage', ...pids(input), ...codeAndReason(input) };
}

export function transferProcessAck(input: Pids & { state: TransferState }): TransferProcessAck {
  return { '@context': dspContext(), '@type': 'TransferProcess', ...pids(input), state: input.state };
}

export function transferError(input: Pids & CodeAndReason): TransferError {
  return { '@context': dspContext(), '@type': 'TransferError', ...pids(input), ...codeAndReason(input) };
}

function pids(input: Pids): Pids {
  return { providerPid: input.providerPid, consumerPid: input.consumerPid };
}
