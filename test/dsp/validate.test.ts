import { describe, expect, it } from 'vitest';
import { DSP_MESSAGE_TYPES, validateDspMessage, type DspMessageType, type DspProblem } from '../../src/dsp/index.js';
import { examples } from './fixtures/examples.js';

function example(type: DspMessageType): Record<string, unknown> {
  const body = examples[type];
  if (!body) throw new Error(`no example for ${type}`);
  return structuredClone(body);
}

function problemsOf(result: ReturnType<typeof validateDspMessage>): DspProblem[] {
  if (result.ok) throw new Error('expected a failure');
  return (result.data?.problems ?? []) as DspProblem[];
}

describe('validateDspMessage', () => {
  it('has an example for every message type and accepts each one', () => {
    for (const type of DSP_MESSAGE_TYPES) {
      const result = validateDspMessage(type, example(type));
      expect(result.ok ? 'ok' : result.detail, type).toBe('ok');
    }
  });

  it('rejects a body that is not a JSON object with SOV_DSP_MALFORMED_BODY', () => {
    for (const body of [null, 'text', 42, [example('ContractNegotiation')]]) {
      const result = validateDspMessage('ContractNegotiation', body);
      expect(result.ok ? null : result.code).toBe('SOV_DSP_MALFORMED_BODY');
    }
  });

  it('rejects a missing, non-array or foreign @context with SOV_DSP_MISSING_CONTEXT', () => {
    const variants = [undefined, 'https://w3id.org/dspace/2025/1/context.jsonld', ['https://w3id.org/dspace/2024/1/context.json']];
    for (const context of variants) {
      const body = { ...example('TransferCompletionMessage'), '@context': context };
      const result = validateDspMessage('TransferCompletionMessage', body);
      expect(result.ok ? null : result.code).toBe('SOV_DSP_MISSING_CONTEXT');
      expect(problemsOf(result)[0]?.pointer).toBe('/@context');
    }
  });

  it('rejects another message type, a prefixed or an array @type with SOV_DSP_WRONG_TYPE', () => {
    for (const type of ['TransferStartMessage', 'dspace:TransferCompletionMessage', ['TransferCompletionMessage']]) {
      const body = { ...example('TransferCompletionMessage'), '@type': type };
      const result = validateDspMessage('TransferCompletionMessage', body);
      expect(result.ok ? null : result.code).toBe('SOV_DSP_WRONG_TYPE');
    }
  });

  it('names the missing field by JSON pointer', () => {
    const body = example('ContractAgreementVerificationMessage');
    delete body.consumerPid;
    const result = validateDspMessage('ContractAgreementVerificationMessage', body);
    expect(result.ok ? null : result.code).toBe('SOV_DSP_INVALID_MESSAGE');
    expect(problemsOf(result)).toContainEqual(expect.objectContaining({ pointer: '/consumerPid' }));
  });

  it('tolerates extra properties such as a message @id', () => {
    const body = { ...example('ContractNegotiation'), '@id': 'urn:uuid:x', extra: 1 };
    expect(validateDspMessage('ContractNegotiation', body).ok).toBe(true);
  });

  const broken: Array<[string, DspMessageType, (b: Record<string, unknown>) => void]> = [
    ['request with neither callbackAddress nor providerPid', 'ContractRequestMessage', (b) => { delete b.callbackAddress; delete b.providerPid; }],
    ['request offer without @id', 'ContractRequestMessage', (b) => { delete (b.offer as Record<string, unknown>)['@id']; }],
    ['offer message with neither callbackAddress nor consumerPid', 'ContractOfferMessage', (b) => { delete b.callbackAddress; }],
    ['offer message offer without target', 'ContractOfferMessage', (b) => { delete (b.offer as Record<string, unknown>).target; }],
    ['offer with no rules', 'ContractOfferMessage', (b) => { delete (b.offer as Record<string, unknown>).permission; }],
    ['agreement without assignee', 'ContractAgreementMessage', (b) => { delete (b.agreement as Record<string, unknown>).assignee; }],
    ['agreement with a malformed timestamp', 'ContractAgreementMessage', (b) => { (b.agreement as Record<string, unknown>).timestamp = 'yesterday'; }],
    ['agreement typed Offer', 'ContractAgreementMessage', (b) => { (b.agreement as Record<string, unknown>)['@type'] = 'Offer'; }],
    ['unknown event type', 'ContractNegotiationEventMessage', (b) => { b.eventType = 'AGREED'; }],
    ['empty reason array', 'ContractNegotiationTerminationMessage', (b) => { b.reason = []; }],
    ['unknown negotiation state', 'ContractNegotiation', (b) => { b.state = 'STARTED'; }],
    ['unknown transfer state', 'TransferProcess', (b) => { b.state = 'AGREED'; }],
    ['transfer request without format', 'TransferRequestMessage', (b) => { delete b.format; }],
    ['transfer request without callbackAddress', 'TransferRequestMessage', (b) => { delete b.callbackAddress; }],
    ['data address without endpointType', 'TransferStartMessage', (b) => { delete (b.dataAddress as Record<string, unknown>).endpointType; }],
    ['endpoint property of the wrong type', 'TransferStartMessage', (b) => { ((b.dataAddress as Record<string, unknown>).endpointProperties as Array<Record<string, unknown>>)[0]!['@type'] = 'Property'; }],
    ['catalog with hasPolicy', 'Catalog', (b) => { b.hasPolicy = [{ '@id': 'x', '@type': 'Offer', permission: [{ action: 'use' }] }]; }],
    ['catalog without participantId', 'Catalog', (b) => { delete b.participantId; }],
    ['catalog offer with a target', 'Catalog', (b) => { ((b.dataset as Array<Record<string, unknown>>)[0]!.hasPolicy as Array<Record<string, unknown>>)[0]!.target = 'x'; }],
    ['dataset without distribution', 'Dataset', (b) => { delete b.distribution; }],
    ['dataset with an empty hasPolicy', 'Dataset', (b) => { b.hasPolicy = []; }],
    ['constraint with an unknown operator', 'ContractRequestMessage', (b) => { ((b.offer as { permission: Array<{ constraint: Array<Record<string, unknown>> }> }).permission[0]!.constraint[0]!).operator = 'like'; }],
    ['version entry without binding', 'VersionResponse', (b) => { delete (b.protocolVersions as Array<Record<string, unknown>>)[0]!.binding; }],
    ['no version entries', 'VersionResponse', (b) => { b.protocolVersions = []; }],
  ];

  it.each(broken)('rejects %s', (_name, type, breakIt) => {
    const body = example(type);
    breakIt(body);
    const result = validateDspMessage(type, body);
    expect(result.ok ? null : result.code).toBe('SOV_DSP_INVALID_MESSAGE');
    expect(problemsOf(result).length).toBeGreaterThan(0);
  });
});
