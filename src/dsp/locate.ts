/**
 * Finding the process an inbound message is about, for negotiation and transfer alike.
 * DSP §4: an unknown process and a caller who is not its counterparty get the same 404, so
 * nobody can probe for others' ids; a path pid that contradicts the body is a 400.
 */
import { fail, ok, type ErrorCode, type Result } from '../errors/index.js';
import type { VerifiedCaller } from './caller.js';
import type { Role } from './types.js';

export interface LocatableRecord {
  role: Role;
  counterpartyDid: string;
  state?: string;
  providerPid?: string;
  consumerPid?: string;
}

export interface LocateRules {
  noun: string;
  notFound: ErrorCode;
  pidMismatch: ErrorCode;
}

const pidKey = (role: Role) => (role === 'provider' ? 'providerPid' : 'consumerPid');

/**
 * The record named by the body's pid for our side, visible only to its counterparty. The
 * other side's pid, once known, must match; until then the first message carrying it teaches it.
 */
export async function locateProcess<R extends LocatableRecord>(
  get: (id: string) => Promise<R | undefined>,
  caller: VerifiedCaller,
  ourRole: Role,
  body: Record<string, unknown>,
  rules: LocateRules & { pathPid?: string },
): Promise<Result<R>> {
  const ourPid = String(body[pidKey(ourRole)]);
  const theirKey = pidKey(ourRole === 'provider' ? 'consumer' : 'provider');
  const theirPid = body[theirKey] as string | undefined;
  if (rules.pathPid !== undefined && rules.pathPid !== ourPid) {
    return fail(rules.pidMismatch, `The path names ${rules.pathPid} but the body's ${pidKey(ourRole)} is ${ourPid}`, {
      pathPid: rules.pathPid,
      bodyPid: ourPid,
    });
  }
  const notFound = fail(rules.notFound, `No ${rules.noun} ${ourPid} with this participant`, { pid: ourPid });
  const record = await get(ourPid);
  if (!record || record.role !== ourRole || record.counterpartyDid !== caller.did) return notFound;
  const known = record[theirKey];
  if (known !== undefined && theirPid !== undefined && known !== theirPid) return notFound;
  return ok(known === undefined && theirPid !== undefined ? { ...record, [theirKey]: theirPid } : record);
}

/** `GET /<negotiations|transfers>/:pid`: our own record, only for its counterparty, once it has a state. */
export async function processForCaller<R extends LocatableRecord>(
  get: (id: string) => Promise<R | undefined>,
  caller: VerifiedCaller,
  ourRole: Role,
  pid: string,
  rules: LocateRules,
): Promise<Result<R>> {
  const record = await get(pid);
  if (!record || record.role !== ourRole || record.counterpartyDid !== caller.did || record.state === undefined) {
    return fail(rules.notFound, `No ${rules.noun} ${pid} with this participant`, { pid });
  }
  return ok(record);
}
