/**
 * Contract negotiation endpoints, provider and consumer side (dsp.md §4 tables). One
 * connector is both: its DSP base is also the callbackAddress it gives providers, so the paths
 * `/:pid/events`, `/:pid/termination` and `GET /:pid` are dispatched by the role of the
 * process the pid names (our own pid, so the record says which side we are). 201 for a
 * message that creates a process; 400 + ContractNegotiationError for an invalid transition;
 * 404 for an unknown process or a caller who is not its counterparty.
 */
import express, { type Router } from 'express';
import type { Role, VerifiedCaller } from '../../dsp/index.js';
import * as negotiation from '../../negotiation/index.js';
import type { NegotiationDeps, NegotiationOutcome } from '../../negotiation/index.js';
import { fail, type Result } from '../../errors/index.js';
import { dspError } from '../dsp-error.js';
import { authenticated, caller, messageOf, pidsIn, reply, terminationGuard, validated, withConflictRetry, withRecordRead, type AuthenticateDspCaller } from './pipeline.js';

export interface NegotiationRoutesOptions {
  deps: NegotiationDeps;
  authenticate: AuthenticateDspCaller;
}

const ERROR = 'ContractNegotiationError' as const;

type Handler = (deps: NegotiationDeps, who: VerifiedCaller, message: never, pathPid?: string) => Promise<Result<NegotiationOutcome>>;

/** Our role in the process `pid` names; an unknown pid goes to the provider handler, which answers 404. */
async function roleOf(deps: NegotiationDeps, pid: string): Promise<Role> {
  return (await deps.repository.get(pid))?.role ?? 'provider';
}

/** The table's name for an inbound message (events are split by eventType). */
function kindOf(body: Record<string, unknown>): string {
  return body['@type'] === 'ContractNegotiationEventMessage' ? `ContractNegotiationEventMessage:${String(body['eventType'])}` : String(body['@type']);
}

const TERMINATION_RULES = {
  termination: 'ContractNegotiationTerminationMessage',
  terminal: ['ContractNegotiationEventMessage:FINALIZED'],
  refused: (why: string) => fail('SOV_NEG_ILLEGAL_TRANSITION', `This negotiation is being terminated (${why || 'no reason given'}): our termination message is on its way`),
};

export function negotiationRoutes(options: NegotiationRoutesOptions): Router {
  const { deps } = options;
  const router = express.Router();
  const auth = authenticated(options.authenticate, ERROR);

  const post = (path: string, type: Parameters<typeof validated>[0], pick: (role: Role) => Handler) => {
    router.post(path, auth, validated(type, ERROR), async (req, res) => {
      const message = messageOf(res, type);
      const pid = req.params['pid'] as string | undefined;
      const record = pid === undefined ? undefined : await deps.repository.get(pid);
      const guard = terminationGuard(record, caller(res), kindOf(req.body as Record<string, unknown>), TERMINATION_RULES);
      if (guard.kind === 'refuse') return dspError(res, guard.failure, { type: ERROR, ...pidsIn(req.body) });
      if (guard.kind === 'acknowledge' && record?.state !== undefined) return res.status(200).json(negotiation.negotiationAck(record));
      const handler = pick(record?.role ?? 'provider');
      const primed = withRecordRead(deps, pid, record);
      const result = await withConflictRetry(() => handler(primed, caller(res), message as never, pid));
      reply(res, result, ERROR, req.body);
    });
  };

  router.get('/:pid', auth, async (req, res) => {
    const pid = req.params['pid'] as string;
    const found = await negotiation.negotiationStateFor(deps, caller(res), await roleOf(deps, pid), pid);
    if (!found.ok) return dspError(res, found, { type: ERROR });
    res.set('Cache-Control', 'no-store').json(negotiation.negotiationAck(found.value));
  });

  // Provider side.
  post('/request', 'ContractRequestMessage', () => negotiation.onContractRequest);
  post('/:pid/request', 'ContractRequestMessage', () => negotiation.onContractRequest);
  post('/:pid/agreement/verification', 'ContractAgreementVerificationMessage', () => negotiation.onAgreementVerification);
  // Consumer side (our callbackAddress), the initial offer included.
  post('/offers', 'ContractOfferMessage', () => negotiation.onContractOffer);
  post('/:pid/offers', 'ContractOfferMessage', () => negotiation.onContractOffer);
  post('/:pid/agreement', 'ContractAgreementMessage', () => negotiation.onContractAgreement);
  // Both sides: which one is decided by the process the pid names.
  const events = (role: Role): Handler => (role === 'provider' ? negotiation.onProviderEvent : negotiation.onConsumerEvent);
  const terminations = (role: Role): Handler => (role === 'provider' ? negotiation.onProviderTermination : negotiation.onConsumerTermination);
  post('/:pid/events', 'ContractNegotiationEventMessage', events);
  post('/:pid/termination', 'ContractNegotiationTerminationMessage', terminations);
  return router;
}
