/**
 * Transfer process endpoints, provider and consumer side (dsp.md §4 tables). As for
 * negotiations one connector is both, so `/:pid/start|completion|suspension|termination` and
 * `GET /:pid` are dispatched by the role of the process our pid names. The consumer-side GET
 * is not in DSP 2025-1 but is served because the TCK calls it (dsp.md §4 tip). 201 for a
 * created process, 400 + TransferError for an invalid transition, 404 for an unknown process
 * or a caller who is not its counterparty.
 */
import express, { type Router } from 'express';
import type { Role, VerifiedCaller } from '../../dsp/index.js';
import { fail, type Result } from '../../errors/index.js';
import * as transfer from '../../transfer/index.js';
import type { TransferDeps, TransferOutcome } from '../../transfer/index.js';
import { dspError } from '../dsp-error.js';
import { authenticated, caller, messageOf, pidsIn, reply, terminationGuard, validated, withConflictRetry, withRecordRead, type AuthenticateDspCaller } from './pipeline.js';

export interface TransferRoutesOptions {
  deps: TransferDeps;
  authenticate: AuthenticateDspCaller;
}

const ERROR = 'TransferError' as const;

type Handler = (deps: TransferDeps, who: VerifiedCaller, message: never, pathPid?: string) => Promise<Result<TransferOutcome>>;

/** Our role in the process `pid` names; an unknown pid goes to the provider handler, which answers 404. */
async function roleOf(deps: TransferDeps, pid: string): Promise<Role> {
  return (await deps.repository.get(pid))?.role ?? 'provider';
}

const TERMINATION_RULES = {
  termination: 'TransferTerminationMessage',
  terminal: ['TransferCompletionMessage'],
  refused: (why: string) => fail('SOV_TRANSFER_ILLEGAL_TRANSITION', `This transfer is being terminated (${why || 'no reason given'}): our termination message is on its way`),
};

const bySide = (provider: Handler, consumer: Handler) => (role: Role) => (role === 'provider' ? provider : consumer);

export function transferRoutes(options: TransferRoutesOptions): Router {
  const { deps } = options;
  const router = express.Router();
  const auth = authenticated(options.authenticate, ERROR);

  const post = (path: string, type: Parameters<typeof validated>[0], pick: (role: Role) => Handler) => {
    router.post(path, auth, validated(type, ERROR), async (req, res) => {
      const message = messageOf(res, type);
      const pid = req.params['pid'] as string | undefined;
      const record = pid === undefined ? undefined : await deps.repository.get(pid);
      const guard = terminationGuard(record, caller(res), type, TERMINATION_RULES);
      if (guard.kind === 'refuse') return dspError(res, guard.failure, { type: ERROR, ...pidsIn(req.body) });
      if (guard.kind === 'acknowledge' && record?.state !== undefined) return res.status(200).json(transfer.transferAck(record));
      const handler = pick(record?.role ?? 'provider');
      const primed = withRecordRead(deps, pid, record);
      const result = await withConflictRetry(() => handler(primed, caller(res), message as never, pid));
      reply(res, result, ERROR, req.body);
    });
  };

  router.get('/:pid', auth, async (req, res) => {
    const pid = req.params['pid'] as string;
    const found = await transfer.transferStateFor(deps, caller(res), await roleOf(deps, pid), pid);
    if (!found.ok) return dspError(res, found, { type: ERROR });
    res.set('Cache-Control', 'no-store').json(transfer.transferAck(found.value));
  });

  post('/request', 'TransferRequestMessage', () => transfer.onTransferRequest as Handler);
  post('/:pid/start', 'TransferStartMessage', bySide(transfer.onProviderTransferStart, transfer.onConsumerTransferStart));
  post('/:pid/completion', 'TransferCompletionMessage', bySide(transfer.onProviderTransferCompletion, transfer.onConsumerTransferCompletion));
  post('/:pid/suspension', 'TransferSuspensionMessage', bySide(transfer.onProviderTransferSuspension, transfer.onConsumerTransferSuspension));
  post('/:pid/termination', 'TransferTerminationMessage', bySide(transfer.onProviderTransferTermination, transfer.onConsumerTransferTermination));
  return router;
}
