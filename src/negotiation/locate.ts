/** Finding the negotiation an inbound message or a GET is about (rules in src/dsp/locate.ts). */
import { locateProcess, processForCaller, type Role, type VerifiedCaller } from '../dsp/index.js';
import type { Result } from '../errors/index.js';
import type { ContractNegotiation } from './entity.js';
import type { NegotiationDeps } from './ports.js';

const rules = { noun: 'contract negotiation', notFound: 'SOV_NEG_NOT_FOUND', pidMismatch: 'SOV_NEG_PID_MISMATCH' } as const;

export function locateExisting(
  deps: NegotiationDeps,
  caller: VerifiedCaller,
  ourRole: Role,
  body: Record<string, unknown>,
  pathPid?: string,
): Promise<Result<ContractNegotiation>> {
  return locateProcess((id) => deps.repository.get(id), caller, ourRole, body, { ...rules, pathPid });
}

/** `GET /negotiations/:pid`: the record behind the ACK body, only for its counterparty. */
export function negotiationStateFor(
  deps: Pick<NegotiationDeps, 'repository'>,
  caller: VerifiedCaller,
  ourRole: Role,
  pid: string,
): Promise<Result<ContractNegotiation>> {
  return processForCaller((id) => deps.repository.get(id), caller, ourRole, pid, rules);
}
