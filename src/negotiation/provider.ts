/**
 * Provider-side handlers for every message a consumer sends (dsp.md §4 "Negotiation, provider
 * side"). Each takes the verified caller and a message already checked by
 * `validateDspMessage`, and returns the ACK to answer with plus what was queued.
 *
 * Policy (design.md step 3): the offer is evaluated on request and again at verification; a
 * refusal terminates with the decision report's reasons. New terms proposed by the consumer
 * are not auto-accepted: they wait for an admin (counter-offer, agree or terminate).
 */
import {
  contractNegotiationEventMessage,
  type ContractAgreementVerificationMessage,
  type ContractNegotiationEventMessage,
  type ContractNegotiationTerminationMessage,
  SOV_PURPOSE,
  type ContractRequestMessage,
  type VerifiedCaller,
} from '../dsp/index.js';
import { ok, type Result } from '../errors/index.js';
import { checkProof, evaluate, refuse, sendAgreement, storeTermination } from './effects.js';
import { locateExisting } from './locate.js';
import type { NegotiationDeps } from './ports.js';
import { freshRecord, receive, type EffectContext, type EffectHandlers, type NegotiationOutcome } from './receive.js';
import { enqueue, pidsOf } from './records.js';
import { resolveRequestedOffer } from './terms.js';

async function storeRequestedOffer(ctx: EffectContext): Promise<Result<void>> {
  const { offer } = ctx.body as unknown as ContractRequestMessage;
  // Compare with what we offered: our own last offer, else the catalogue (never the consumer's own proposal).
  const ours = ctx.record.offerBy === 'provider' ? ctx.record.offer : undefined;
  const resolved = await resolveRequestedOffer(ctx.deps, ours, offer);
  if (!resolved.ok) return resolved;
  ctx.record.offer = resolved.value.offer;
  ctx.record.offerBy = resolved.value.proposed ? 'consumer' : 'provider';
  // A counter-request may restate the purpose; the latest one stated is what is agreed.
  const purpose = statedPurpose(ctx.body as unknown as ContractRequestMessage);
  if (purpose !== undefined) ctx.record.purpose = purpose;
  ctx.record.awaitingDecision = resolved.value.proposed || undefined;
  return ok(undefined);
}

async function decideOffer(ctx: EffectContext): Promise<Result<void>> {
  if (ctx.record.awaitingDecision) return ok(undefined);
  const decision = await evaluate(ctx, 'request', ctx.record.offer);
  if (decision.permitted) await sendAgreement(ctx.deps, ctx.record, ctx.outbox);
  else refuse(ctx, decision.reasons);
  return ok(undefined);
}

async function decideVerification(ctx: EffectContext): Promise<Result<void>> {
  const { agreement } = ctx.record;
  if (!agreement) throw new Error(`negotiation ${ctx.record.id} reached VERIFIED without an agreement`);
  const proof = await checkProof(ctx, agreement, 'consumer');
  if (!proof.ok) return proof;
  const decision = await evaluate(ctx, 'verification', agreement);
  if (!decision.permitted) {
    refuse(ctx, decision.reasons);
    return ok(undefined);
  }
  const finalized = contractNegotiationEventMessage({ ...pidsOf(ctx.record), eventType: 'FINALIZED' });
  enqueue(ctx.deps, ctx.record, ctx.outbox, 'ContractNegotiationEventMessage:FINALIZED', finalized);
  return ok(undefined);
}

const providerEffects: EffectHandlers = {
  storeOffer: storeRequestedOffer,
  decideOffer,
  decideVerification,
  storeTermination,
};

/** `POST /negotiations/request` (initial, 201) and `POST /negotiations/:providerPid/request`. */
export async function onContractRequest(
  deps: NegotiationDeps,
  caller: VerifiedCaller,
  message: ContractRequestMessage,
  pathPid?: string,
): Promise<Result<NegotiationOutcome>> {
  const body = message as unknown as Record<string, unknown>;
  if (message.providerPid !== undefined || pathPid !== undefined) {
    const record = await locateExisting(deps, caller, 'provider', body, pathPid);
    if (!record.ok) return record;
    const inbound = { ourRole: 'provider' as const, message: 'ContractRequestMessage' as const, body, record: record.value };
    return receive(deps, caller, { ...inbound, isNew: false, createsProcess: false }, providerEffects);
  }
  const existing = await deps.repository.findByCounterpartyPid(caller.did, message.consumerPid);
  const record = existing ? ok(existing) : await newProviderRecord(deps, caller, message);
  if (!record.ok) return record;
  const inbound = { ourRole: 'provider' as const, message: 'ContractRequestMessage' as const, body, record: record.value };
  return receive(deps, caller, { ...inbound, isNew: !existing, createsProcess: true }, providerEffects);
}

/** The purpose the consumer stated (our extension; the DSP schema checked it is an IRI). */
function statedPurpose(message: ContractRequestMessage): string | undefined {
  const purpose = message[SOV_PURPOSE];
  return typeof purpose === 'string' ? purpose : undefined;
}

async function newProviderRecord(deps: NegotiationDeps, caller: VerifiedCaller, message: ContractRequestMessage) {
  const resolved = await resolveRequestedOffer(deps, undefined, message.offer);
  if (!resolved.ok) return resolved;
  const id = deps.ids.urn();
  const purpose = statedPurpose(message);
  return ok(
    freshRecord(deps, {
      ...(purpose === undefined ? {} : { purpose }),
      id,
      role: 'provider',
      providerPid: id,
      consumerPid: message.consumerPid,
      counterpartyDid: caller.did,
      // The schema guarantees an initial request carries a callbackAddress.
      counterpartyAddress: String(message.callbackAddress),
      offer: resolved.value.offer,
      offerBy: resolved.value.proposed ? 'consumer' : 'provider',
    }),
  );
}

/** `POST /negotiations/:providerPid/events` (ACCEPTED; FINALIZED from a consumer is illegal). */
export async function onProviderEvent(
  deps: NegotiationDeps,
  caller: VerifiedCaller,
  message: ContractNegotiationEventMessage,
  pathPid?: string,
): Promise<Result<NegotiationOutcome>> {
  return onExisting(deps, caller, message, `ContractNegotiationEventMessage:${message.eventType}`, pathPid);
}

/** `POST /negotiations/:providerPid/agreement/verification`. */
export async function onAgreementVerification(
  deps: NegotiationDeps,
  caller: VerifiedCaller,
  message: ContractAgreementVerificationMessage,
  pathPid?: string,
): Promise<Result<NegotiationOutcome>> {
  return onExisting(deps, caller, message, 'ContractAgreementVerificationMessage', pathPid);
}

/** `POST /negotiations/:providerPid/termination`. */
export async function onProviderTermination(
  deps: NegotiationDeps,
  caller: VerifiedCaller,
  message: ContractNegotiationTerminationMessage,
  pathPid?: string,
): Promise<Result<NegotiationOutcome>> {
  return onExisting(deps, caller, message, 'ContractNegotiationTerminationMessage', pathPid);
}

async function onExisting(
  deps: NegotiationDeps,
  caller: VerifiedCaller,
  message: object,
  kind: 'ContractNegotiationEventMessage:ACCEPTED' | 'ContractNegotiationEventMessage:FINALIZED' | 'ContractAgreementVerificationMessage' | 'ContractNegotiationTerminationMessage',
  pathPid?: string,
): Promise<Result<NegotiationOutcome>> {
  const body = message as Record<string, unknown>;
  const record = await locateExisting(deps, caller, 'provider', body, pathPid);
  if (!record.ok) return record;
  const inbound = { ourRole: 'provider' as const, message: kind, body, record: record.value, isNew: false, createsProcess: false };
  return receive(deps, caller, inbound, providerEffects);
}
