import * as vc from '@digitalbazaar/vc';
import { beforeEach, describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../src/clock/index.js';
import { unwrap } from '../../src/errors/index.js';
import {
  createPresentation,
  issueCredential,
  signPresentation,
  SOV_CONTEXT_V1,
  VC_V2_CONTEXT,
  verifyPresentation,
  type PresentationVerification,
  type VerifiableCredential,
  type VerifiablePresentation,
} from '../../src/identity/index.js';
import { independentLoader, independentSuite } from './support/independent-verifier.js';
import { createParty, FakeWeb, loaderFor, type Party } from './support/web.js';

const T0 = Date.UTC(2026, 0, 1);
const CHALLENGE = 'c-4f1d9a7e';

let clock: SimulatedClock;
let web: FakeWeb;
let registrar: Party;
let member: Party;
let verifier: Party;
let membership: VerifiableCredential;

async function issueMembership(subject: string): Promise<VerifiableCredential> {
  const credential = {
    '@context': [VC_V2_CONTEXT, SOV_CONTEXT_V1],
    id: `urn:uuid:membership-${subject.length}`,
    type: ['VerifiableCredential', 'FederationMembershipCredential'],
    issuer: registrar.did,
    validFrom: new Date(T0).toISOString(),
    credentialSubject: { id: subject, jurisdiction: 'CA', roles: ['consumer', 'researcher'] },
  };
  return unwrap(await issueCredential({ credential, signer: registrar.signer, documentLoader: loaderFor(web, clock), clock }));
}

async function present(holder: Party, credentials: VerifiableCredential[], challenge = CHALLENGE, domain = verifier.did): Promise<VerifiablePresentation> {
  const presentation = unwrap(createPresentation({ credentials, holder: holder.did, clock }));
  return unwrap(await signPresentation({ presentation, signer: holder.signer, documentLoader: loaderFor(web, clock), clock, challenge, domain }));
}

function check(vp: unknown, options: { challenge?: string; domain?: string; holderMustBeSubject?: boolean } = {}): Promise<PresentationVerification> {
  return verifyPresentation(vp, {
    documentLoader: loaderFor(web, clock),
    clock,
    challenge: options.challenge ?? CHALLENGE,
    domain: options.domain ?? verifier.did,
    ...(options.holderMustBeSubject === undefined ? {} : { holderMustBeSubject: options.holderMustBeSubject }),
  });
}

beforeEach(async () => {
  clock = new SimulatedClock(T0);
  web = new FakeWeb();
  registrar = await createParty(web, clock, 'http://127.0.0.1:7200');
  member = await createParty(web, clock, 'http://127.0.0.1:7201');
  verifier = await createParty(web, clock, 'http://127.0.0.1:7202');
  membership = await issueMembership(member.did);
});

describe('verifiable presentations (challenge + domain)', () => {
  it('a holder presentation verifies with ours and with @digitalbazaar/vc directly', async () => {
    const vp = await present(member, [membership]);
    expect(vp.proof).toMatchObject({ proofPurpose: 'authentication', challenge: CHALLENGE, domain: verifier.did });
    const ours = await check(vp);
    expect(ours.errors).toEqual([]);
    expect(ours).toMatchObject({ verified: true, holder: member.did });
    const direct = await vc.verify({
      presentation: vp,
      challenge: CHALLENGE,
      domain: verifier.did,
      suite: independentSuite(),
      documentLoader: independentLoader(web),
      now: new Date(T0),
    });
    expect(direct.verified).toBe(true);
  });

  it('refuses a presentation signed for another challenge (replay)', async () => {
    const vp = await present(member, [membership], 'an-old-nonce');
    const result = await check(vp);
    expect(result.verified).toBe(false);
    expect(result.errors.map((e) => e.code)).toContain('SOV_IDENTITY_CHALLENGE_MISMATCH');
  });

  it('refuses a presentation signed for another verifier (wrong domain)', async () => {
    const vp = await present(member, [membership], CHALLENGE, registrar.did);
    const result = await check(vp);
    expect(result.verified).toBe(false);
    expect(result.errors.map((e) => e.code)).toContain('SOV_IDENTITY_DOMAIN_MISMATCH');
  });

  it('refuses a credential presented by someone who is not its subject', async () => {
    const vp = await present(verifier, [membership]);
    const result = await check(vp);
    expect(result.errors.map((e) => e.code)).toEqual(['SOV_IDENTITY_HOLDER_MISMATCH']);
    expect(result.errors[0]?.data).toMatchObject({ credentialId: membership.id });
    expect((await check(vp, { holderMustBeSubject: false })).verified).toBe(true);
  });

  it('refuses a presentation whose proof key is not the holder\'s', async () => {
    const vp = await present(verifier, [membership]);
    const result = await check({ ...vp, holder: member.did });
    expect(result.errors.map((e) => e.code)).toContain('SOV_IDENTITY_KEY_NOT_AUTHORIZED');
  });

  it('refuses a presentation carrying a tampered credential', async () => {
    const tampered = { ...membership, credentialSubject: { ...membership.credentialSubject, roles: ['provider'] } };
    const result = await check(await present(member, [tampered]));
    expect(result.errors.map((e) => e.code)).toEqual(['SOV_IDENTITY_PROOF_INVALID']);
    expect(result.errors[0]?.data).toMatchObject({ credentialId: membership.id });
  });
});
