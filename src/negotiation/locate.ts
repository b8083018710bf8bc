/**
 * Finding the negotiation an inbound message is about. DSP §4: an unknown process and a
 * caller who is not its counterparty get the same 404, so nobody can probe for others' ids.
 */
import type { Role, VerifiedCaller } from '../dsp/index.js';
import { fail, ok, type Result } from '../errors/index.js';
import type { ContractNegotiation } from './entity.js';
import type { NegotiationDeps } from './ports.js';

const pidKey = (role: Role) => (role === 'provider' ? 'providerPid' : 'consumerPid');
const otherRole = (role: Role): Role => (role === 'provider' ? 'consumer' : 'provider');

/**
 * The record named by the body's pid for our side (checked against the path's pid), visible
 * only to its counterparty. The other side's pid, once known, must match; a consumer learns
 * the providerPid from the first message that carries it.
 */
export async function locateExisting(
  deps: NegotiationDeps,
  caller: VerifiedCaller,
  ourRole: Role,
  body: Record<string, unknown>,
  pathPid?: string,
): Promise<Result<ContractNegotiation>> {
  const ourPid = String(body[pidKey(ourRole)]);
  const theirKey = pidKey(otherRole(ourRole));
  const theirPid = body[theirKey] as string | undefined;
  if (pathPid !== undefined && pathPid !== ourPid) {
    return fail('SOV_NEG_PID_MISMATCH', `The path names ${pathPid} but the body's ${pidKey(ourRole)} is ${ourPid}`, { pathPid, bodyPid: ourPid });
  }
  const notFound = fail('SOV_NEG_NOT_FOUND', `No contract negotiation ${ourPid} with this participant`, { pid: ourPid });
  const record = await deps.repository.get(ourPid);
  if (!record || record.role !== ourRole || record.counterpartyDid !== caller.did) return notFound;
  const known = record[theirKey];
  if (known !== undefined && theirPid !== undefined && known !== theirPid) return notFound;
  return ok(known === undefined && theirPid !== undefined ? { ...record, [theirKey]: theirPid } : record);
}

/** `GET /negotiations/:pid`: the ACK body for our own pid, only for its counterparty. */
export async function negotiationStateFor(
  deps: Pick<NegotiationDeps, 'repository'>,
  caller: VerifiedCaller,
  ourRole: Role,
  pid: string,
): Promise<Result<ContractNegotiation>> {
  const record = await deps.repository.get(pid);
  if (!record || record.role !== ourRole || record.counterpartyDid !== caller.did || record.state === undefined) {
    return fail('SOV_NEG_NOT_FOUND', `No contract negotiation ${pid} with this participant`, { pid });
  }
  return ok(record);
}
