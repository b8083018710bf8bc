/**
 * Two connectors' negotiation sides in one process, with fakes for the ports: a policy
 * decider driven by a claim, a signer that produces a checkable (non-cryptographic test)
 * proof, a one-offer catalogue. `deliver` plays the outbox worker: it validates the queued
 * body against our schemas, routes it to the other side's handler, and confirms delivery.
 */
import { SimulatedClock, type IdGenerator } from '../../src/clock/index.js';
import { jsonDigest, validateDspMessage, type OdrlOffer, type OutboxEntry, type VerifiedCaller } from '../../src/dsp/index.js';
import type { Result } from '../../src/errors/index.js';
import * as neg from '../../src/negotiation/index.js';
import type { AgreementSigner, NegotiationDeps, NegotiationOutcome, PolicyDecider } from '../../src/negotiation/index.js';
import { MemoryNegotiationRepository } from './memory-repository.js';

export const PROVIDER_DID = 'did:web:uk.example';
export const CONSUMER_DID = 'did:web:ca.example';
export const DATASET = 'urn:uuid:dataset-1';
export const CATALOG_OFFER: OdrlOffer = {
  '@id': 'urn:sov:offer:one',
  '@type': 'Offer',
  permission: [{ action: 'use', constraint: [{ leftOperand: 'purpose', operator: 'eq', rightOperand: 'research' }] }],
};

export function counterIds(prefix: string): IdGenerator {
  let n = 0;
  return { urn: () => `urn:uuid:${prefix}-${++n}` };
}

/** Permits when the caller's claims include `member: true`; reasons name the rule otherwise. */
export const claimPolicy: PolicyDecider = {
  decide: (_offer, caller) =>
    caller.claims.member === true
      ? { permitted: true, report: { checked: ['member'] }, reasons: [] }
      : {
          permitted: false,
          report: { checked: ['member'], failed: 'member' },
          reasons: [{ code: 'POLICY_CLAIM_MISSING', message: 'The caller holds no membership credential', rule: 'permission[0]' }],
        },
};

/** A test signer: "proof" = digest of the agreement bound to the signer's DID. */
export function digestSigner(did: string): AgreementSigner {
  return {
    sign: async (agreement) => ({ type: 'TestProof', signer: did, digest: jsonDigest(agreement) }),
    verify: async (agreement, proof, signerDid) => {
      const errors: string[] = [];
      if (proof.signer !== signerDid) errors.push(`signed by ${String(proof.signer)}, expected ${signerDid}`);
      if (proof.digest !== jsonDigest(agreement)) errors.push('digest mismatch');
      return { verified: errors.length === 0, errors };
    },
  };
}

export interface Side {
  deps: NegotiationDeps;
  repo: MemoryNegotiationRepository;
  caller: VerifiedCaller;
}

export function makeSides(clock = new SimulatedClock()): { provider: Side; consumer: Side } {
  const side = (did: string, base: string, prefix: string): Side => {
    const repo = new MemoryNegotiationRepository();
    const deps: NegotiationDeps = {
      repository: repo,
      policy: claimPolicy,
      signer: digestSigner(did),
      offers: { findOffer: async (id) => (id === CATALOG_OFFER['@id'] ? { offer: CATALOG_OFFER, target: DATASET } : undefined) },
      clock,
      ids: counterIds(prefix),
      self: { did, dspBase: base },
    };
    return { deps, repo, caller: { did, claims: { member: true } } };
  };
  return { provider: side(PROVIDER_DID, 'https://uk.example/dsp', 'p'), consumer: side(CONSUMER_DID, 'https://ca.example/dsp', 'c') };
}

type Routed = Promise<Result<NegotiationOutcome>>;

/** Routes one outbox entry to the recipient side's handler, as the HTTP layer would. */
export async function route(entry: OutboxEntry, to: Side, from: Side): Routed {
  const body = entry.body;
  const caller = from.caller;
  switch (body['@type']) {
    case 'ContractRequestMessage':
      return neg.onContractRequest(to.deps, caller, valid('ContractRequestMessage', body));
    case 'ContractOfferMessage':
      return neg.onContractOffer(to.deps, caller, valid('ContractOfferMessage', body));
    case 'ContractAgreementMessage':
      return neg.onContractAgreement(to.deps, caller, valid('ContractAgreementMessage', body));
    case 'ContractAgreementVerificationMessage':
      return neg.onAgreementVerification(to.deps, caller, valid('ContractAgreementVerificationMessage', body));
    case 'ContractNegotiationEventMessage': {
      const event = valid('ContractNegotiationEventMessage', body);
      return to.deps.self.did === PROVIDER_DID ? neg.onProviderEvent(to.deps, caller, event) : neg.onConsumerEvent(to.deps, caller, event);
    }
    case 'ContractNegotiationTerminationMessage': {
      const t = valid('ContractNegotiationTerminationMessage', body);
      return to.deps.self.did === PROVIDER_DID ? neg.onProviderTermination(to.deps, caller, t) : neg.onConsumerTermination(to.deps, caller, t);
    }
    default:
      throw new Error(`unroutable ${String(body['@type'])}`);
  }
}

function valid<T extends Parameters<typeof validateDspMessage>[0]>(type: T, body: unknown) {
  const result = validateDspMessage(type, body);
  if (!result.ok) throw new Error(`outbound ${type} is invalid: ${result.detail}`);
  return result.value;
}

/** Delivers `from`'s oldest undelivered outbox entry and confirms it on a 2xx. */
export async function deliverNext(from: Side, to: Side): Routed {
  const entry = from.repo.outbox.shift();
  if (!entry) throw new Error('nothing to deliver');
  const result = await route(entry, to, from);
  if (result.ok) await neg.confirmDelivery(from.deps, entry.localPid, entry.id, result.value.ack);
  return result;
}

/** Delivers back and forth until both outboxes are empty. */
export async function settle(a: Side, b: Side): Promise<void> {
  for (let i = 0; i < 20 && (a.repo.outbox.length > 0 || b.repo.outbox.length > 0); i++) {
    if (a.repo.outbox.length > 0) await deliverNext(a, b);
    if (b.repo.outbox.length > 0) await deliverNext(b, a);
  }
}
