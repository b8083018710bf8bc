import * as vc from '@digitalbazaar/vc';
import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../src/clock/index.js';
import { unwrap } from '../../src/errors/index.js';
import {
  buildSelfDescription,
  issueParticipantCredential,
  issueServiceOfferingCredential,
  verifyPresentation,
  type ParticipantClaims,
} from '../../src/identity/index.js';
import { independentLoader, independentSuite } from './support/independent-verifier.js';
import { createParty, FakeWeb, loaderFor } from './support/web.js';

const T0 = Date.UTC(2026, 0, 1);

const participant: ParticipantClaims = {
  legalName: 'Office for National Statistics',
  registrationNumber: { kind: 'taxID', value: 'GB-ONS-0001' },
  headquarterAddress: { countrySubdivisionCode: 'GB-WLS', countryCode: 'GB' },
  legalAddress: { countrySubdivisionCode: 'GB-ENG', countryCode: 'GB' },
  jurisdiction: 'UK',
  dataProtectionRegime: ['UK GDPR', 'DPA 2018'],
};

describe('Gaia-X style self-description', () => {
  it('is a VP of participant and offering credentials that an independent verifier accepts', async () => {
    const clock = new SimulatedClock(T0);
    const web = new FakeWeb();
    const connector = await createParty(web, clock, 'http://127.0.0.1:7400');
    const requester = await createParty(web, clock, 'http://127.0.0.1:7401');
    const common = { did: connector.did, signer: connector.signer, documentLoader: loaderFor(web, clock), clock };

    const participantVc = unwrap(await issueParticipantCredential({ ...common, participant }));
    expect(participantVc.credentialSubject).toMatchObject({
      id: connector.did,
      type: 'gx:LegalParticipant',
      'gx:legalName': 'Office for National Statistics',
      'gx:legalRegistrationNumber': { 'gx:taxID': 'GB-ONS-0001' },
      'gx:headquarterAddress': { 'gx:countrySubdivisionCode': 'GB-WLS' },
      'gx:legalAddress': { 'gx:countrySubdivisionCode': 'GB-ENG' },
      jurisdiction: 'UK',
    });
    const offeringVc = unwrap(
      await issueServiceOfferingCredential({
        ...common,
        offering: {
          id: 'urn:sov:uk:offering:census-2021',
          name: 'Census 2021 small-area statistics',
          termsAndConditions: { url: 'https://ons.example/terms', hash: 'a'.repeat(64) },
          policy: ['urn:sov:uk:policy:research-only'],
          dataProtectionRegime: ['GDPR2016'],
          dataAccountExport: { requestType: 'API', accessType: 'digital', formatType: 'text/csv' },
          classification: 'OFFICIAL',
        },
      }),
    );
    expect(offeringVc.credentialSubject).toMatchObject({ type: 'gx:ServiceOffering', 'gx:providedBy': connector.did });

    const selfDescription = unwrap(
      await buildSelfDescription({ ...common, credentials: [participantVc, offeringVc], challenge: 'sd-nonce', domain: requester.did }),
    );
    const ours = await verifyPresentation(selfDescription, { documentLoader: loaderFor(web, clock), clock, challenge: 'sd-nonce', domain: requester.did });
    expect(ours.errors).toEqual([]);
    const direct = await vc.verify({
      presentation: selfDescription,
      challenge: 'sd-nonce',
      domain: requester.did,
      suite: independentSuite(),
      documentLoader: independentLoader(web),
      now: new Date(T0),
    });
    expect(direct.verified).toBe(true);
  });
});
