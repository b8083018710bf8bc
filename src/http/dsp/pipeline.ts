/**
 * The request pipeline every DSP process route shares (dsp.md §4): the caller's token and
 * membership are checked first (an unauthenticated peer cannot make us read its message),
 * then the body is validated against the DSP 2025-1 schema of the route's message type, and
 * only then does the protocol handler run. Refusals are the route's DSP error body, naming the
 * pids the request names (its body's, or for `GET /:pid` the path's).
 */
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { validateDspMessage, type DspMessageType, type DspMessageTypes, type Role, type VerifiedCaller } from '../../dsp/index.js';
import type { Failure, Result } from '../../errors/index.js';
import { callerAuth, callerOf } from '../caller-auth.js';
import { dspError, pidsIn, type DspErrorType, type ProcessPids } from '../dsp-error.js';
import type { CallerRequest } from '../../trust/index.js';

/** Verifies an inbound connector call: token bound to the request, then membership. */
export type AuthenticateDspCaller = (request: CallerRequest) => Promise<Result<VerifiedCaller>>;

const MESSAGE_KEY = 'sovcDspMessage';

/** Attempts of a handler that lost an optimistic-concurrency race (the record changed under it). */
const CONFLICT_RETRIES = 5;

/** `callerAuth` for DSP routes; a refusal names `pidsOf(req)`, by default the body's pids. */
export function authenticated(authenticate: AuthenticateDspCaller, errorType: DspErrorType, pidsOf?: (req: Request) => ProcessPids): RequestHandler {
  return callerAuth({ authenticate, errorType, ...(pidsOf === undefined ? {} : { pidsOf }) });
}

export function caller(res: Response): VerifiedCaller {
  const verified = callerOf<VerifiedCaller>(res);
  if (verified === undefined) throw new Error('a DSP route ran without callerAuth');
  return verified;
}

/** Validates the body as `type` (dsp.md §3) and keeps the typed message for `messageOf`. */
export function validated(type: DspMessageType, errorType: DspErrorType): RequestHandler {
  return (req, res, next) => {
    const result = validateDspMessage(type, req.body);
    if (!result.ok) return dspError(res, result, { type: errorType, ...pidsIn(req.body) });
    res.locals[MESSAGE_KEY] = result.value;
    next();
  };
}

export function messageOf<T extends DspMessageType>(res: Response, _type: T): DspMessageTypes[T] {
  return res.locals[MESSAGE_KEY] as DspMessageTypes[T];
}

/**
 * Runs a protocol handler again when it lost a commit race (`*_CONFLICT`): the handler re-reads
 * the record, so the retry either applies the message to the new state or recognises a replay.
 */
export async function withConflictRetry<T>(run: () => Promise<Result<T>>): Promise<Result<T>> {
  let result = await run();
  for (let attempt = 1; attempt < CONFLICT_RETRIES && isConflict(result); attempt += 1) result = await run();
  return result;
}

function isConflict(result: Result<unknown>): result is Failure {
  return !result.ok && result.code.endsWith('_CONFLICT');
}

/**
 * `deps` whose repository answers the handler's first look-up of `pid` with `record`, which
 * the route has just read for its termination guard, instead of reading it twice per message.
 * A record committed meanwhile by another request makes the handler's commit conflict, and the
 * retry (`withConflictRetry`) reads afresh, as every later look-up does.
 */
export function withRecordRead<R, D extends { repository: { get(id: string): Promise<R | undefined> } }>(deps: D, pid: string | undefined, record: R | undefined): D {
  if (pid === undefined) return deps;
  const inner = deps.repository;
  let unused = true;
  const get = (id: string): Promise<R | undefined> => {
    if (!unused || id !== pid) return inner.get(id);
    unused = false;
    return Promise.resolve(record);
  };
  return { ...deps, repository: Object.create(inner, { get: { value: get } }) as D['repository'] };
}

export interface Acknowledged {
  status: 200 | 201;
  ack: object;
}

/** Sends the ACK with the handler's status (201 for a created process), or the DSP error. */
export function reply(res: Response, result: Result<Acknowledged>, errorType: DspErrorType, body: unknown): void {
  if (!result.ok) return dspError(res, result, { type: errorType, ...pidsIn(body) });
  res.status(result.value.status).set('Cache-Control', 'no-store').json(result.value.ack);
}

/** The fields of a negotiation or transfer record the termination guard reads. */
export interface GuardedRecord {
  counterpartyDid: string;
  pending?: { message: string };
  termination?: { code?: string; reason?: unknown[] };
}

export interface TerminationRules {
  /** The protocol's termination message. */
  termination: string;
  /** Inbound messages that would make the process terminal on the counterparty's side. */
  terminal: readonly string[];
  refused: (why: string) => Failure;
}

export type TerminationGuard = { kind: 'proceed' } | { kind: 'acknowledge' } | { kind: 'refuse'; failure: Failure };

/**
 * Messages that cross our termination (dsp.md §5: termination is allowed in every
 * non-terminal state, so it may be in flight while the counterparty's next message is too).
 * Once we have decided to terminate, the counterparty's other messages no longer move our
 * state: one that would leave us in a non-terminal state is acknowledged without effect (our
 * termination, delivered next, ends the process on both sides with the reason we gave), and
 * one that would make the process terminal on their side (FINALIZED, completion) is refused,
 * so they do not finish what we are ending.
 */
export function terminationGuard(record: GuardedRecord | undefined, who: VerifiedCaller, inbound: string, rules: TerminationRules): TerminationGuard {
  if (record === undefined || record.counterpartyDid !== who.did) return { kind: 'proceed' };
  if (record.pending?.message !== rules.termination || inbound === rules.termination) return { kind: 'proceed' };
  if (!rules.terminal.includes(inbound)) return { kind: 'acknowledge' };
  // The refusal carries our termination's code and reasons, so the counterparty's record says why.
  const why = [record.termination?.code, ...(record.termination?.reason ?? [])].filter((part) => part !== undefined).map((part) => (typeof part === 'string' ? part : JSON.stringify(part)));
  return { kind: 'refuse', failure: rules.refused(why.join('; ')) };
}

/** A protocol handler: applies the validated message to the process (`pathPid` names it). */
export type ProcessHandler<D> = (deps: D, who: VerifiedCaller, message: never, pathPid?: string) => Promise<Result<Acknowledged>>;

/** The record a process route reads: what the termination guard needs, its role, state and pids. */
export interface ProcessRecord extends GuardedRecord {
  role: Role;
  state?: string;
  providerPid?: string;
  consumerPid?: string;
}

/**
 * The pids of `GET /:pid` in an error body. Only the process's counterparty learns what the
 * record holds (both pids, ours under our role); anyone else is answered as for a pid we do not
 * hold, the path pid as a providerPid, so the error does not tell them that we hold the process
 * at all (dsp.md §4: an unknown process and a refused caller get the same answer).
 */
function pathPids(pid: string, record: ProcessRecord | undefined, who: VerifiedCaller): ProcessPids {
  if (record === undefined || record.counterpartyDid !== who.did) return { providerPid: pid };
  const ours = record.role === 'consumer' ? { consumerPid: pid } : { providerPid: pid };
  return { ...pidsIn(record), ...ours };
}

/** What a protocol's routes (negotiation, transfer) plug into the shared pipeline. */
export interface ProcessRoutesOptions<R extends ProcessRecord, D extends { repository: { get(id: string): Promise<R | undefined> } }> {
  deps: D;
  authenticate: AuthenticateDspCaller;
  errorType: DspErrorType;
  termination: TerminationRules;
  /** The message's name in `termination` (e.g. split by eventType), from its type and body. */
  kindOf: (type: DspMessageType, body: Record<string, unknown>) => string;
  /** The ACK body of a record (dsp.md §4). */
  ack: (record: R) => object;
  /** `GET /:pid`: the record behind the ACK body, only for its counterparty. */
  stateFor: (deps: D, who: VerifiedCaller, ourRole: Role, pid: string) => Promise<Result<R>>;
}

export interface ProcessRoutes<D> {
  router: Router;
  /** Routes a message `type` to the handler `pick` chooses for our role in the process. */
  post(path: string, type: DspMessageType, pick: (role: Role) => ProcessHandler<D>): void;
}

/**
 * A process's router with its `GET /:pid`, and `post` for its messages. One connector is both
 * provider and consumer, so a pid in the path is dispatched by the role of the process it names
 * (our own pid); an unknown pid goes to the provider handler, which answers 404.
 */
export function processRoutes<R extends ProcessRecord, D extends { repository: { get(id: string): Promise<R | undefined> } }>(
  options: ProcessRoutesOptions<R, D>,
): ProcessRoutes<D> {
  const { deps, errorType } = options;
  const router = express.Router();
  const auth = authenticated(options.authenticate, errorType);

  // A caller not yet authenticated is answered as one who is not the counterparty (`pathPids`).
  const getAuth = authenticated(options.authenticate, errorType, (req) => ({ providerPid: req.params['pid'] as string }));
  router.get('/:pid', getAuth, async (req, res) => {
    const pid = req.params['pid'] as string;
    const who = caller(res);
    const record = await deps.repository.get(pid);
    const found = await options.stateFor(withRecordRead(deps, pid, record), who, record?.role ?? 'provider', pid);
    if (!found.ok) return dspError(res, found, { type: errorType, ...pathPids(pid, record, who) });
    res.set('Cache-Control', 'no-store').json(options.ack(found.value));
  });

  const post = (path: string, type: DspMessageType, pick: (role: Role) => ProcessHandler<D>): void => {
    router.post(path, auth, validated(type, errorType), async (req, res) => {
      const message = messageOf(res, type);
      const pid = req.params['pid'] as string | undefined;
      const record = pid === undefined ? undefined : await deps.repository.get(pid);
      const guard = terminationGuard(record, caller(res), options.kindOf(type, req.body as Record<string, unknown>), options.termination);
      if (guard.kind === 'refuse') return dspError(res, guard.failure, { type: errorType, ...pidsIn(req.body) });
      if (guard.kind === 'acknowledge' && record?.state !== undefined) return res.status(200).json(options.ack(record));
      const handler = pick(record?.role ?? 'provider');
      const primed = withRecordRead(deps, pid, record);
      const result = await withConflictRetry(() => handler(primed, caller(res), message as never, pid));
      reply(res, result, errorType, req.body);
    });
  };
  return { router, post };
}
