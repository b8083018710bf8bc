/**
 * Transfer process endpoints, provider and consumer side (dsp.md §4 tables). As for
 * negotiations one connector is both, so `/:pid/start|completion|suspension|termination` and
 * `GET /:pid` are dispatched by the role of the process our pid names. The consumer-side GET
 * is not in DSP 2025-1 but is served because the TCK calls it (dsp.md §4 tip). 201 for a
 * created process, 400 + TransferError for an invalid transition, 404 for an unknown process
 * or a caller who is not its counterparty.
 */
import type { Router } from 'express';
import type { Role } from '../../dsp/index.js';
import { fail } from '../../errors/index.js';
import * as transfer from '../../transfer/index.js';
import type { TransferDeps } from '../../transfer/index.js';
import { processRoutes, type AuthenticateDspCaller, type ProcessHandler } from './pipeline.js';

export interface TransferRoutesOptions {
  deps: TransferDeps;
  authenticate: AuthenticateDspCaller;
}

type Handler = ProcessHandler<TransferDeps>;

const TERMINATION_RULES = {
  termination: 'TransferTerminationMessage',
  terminal: ['TransferCompletionMessage'],
  refused: (why: string) => fail('SOV_TRANSFER_ILLEGAL_TRANSITION', `This transfer is being terminated (${why || 'no reason given'}): our termination message is on its way`),
};

/** A transfer message's name in the termination rules is its type. */
const kindOf = (type: string): string => type;

const bySide = (provider: Handler, consumer: Handler) => (role: Role) => (role === 'provider' ? provider : consumer);

export function transferRoutes(options: TransferRoutesOptions): Router {
  const { router, post } = processRoutes({
    ...options,
    errorType: 'TransferError',
    termination: TERMINATION_RULES,
    kindOf,
    ack: transfer.transferAck,
    stateFor: transfer.transferStateFor,
  });
  post('/request', 'TransferRequestMessage', () => transfer.onTransferRequest as Handler);
  post('/:pid/start', 'TransferStartMessage', bySide(transfer.onProviderTransferStart, transfer.onConsumerTransferStart));
  post('/:pid/completion', 'TransferCompletionMessage', bySide(transfer.onProviderTransferCompletion, transfer.onConsumerTransferCompletion));
  post('/:pid/suspension', 'TransferSuspensionMessage', bySide(transfer.onProviderTransferSuspension, transfer.onConsumerTransferSuspension));
  post('/:pid/termination', 'TransferTerminationMessage', bySide(transfer.onProviderTransferTermination, transfer.onConsumerTransferTermination));
  return router;
}
