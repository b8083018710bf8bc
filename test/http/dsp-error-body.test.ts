import express from 'express';
import { describe, expect, it } from 'vitest';
import { fail } from '../../src/errors/index.js';
import { createHttpApp, DSP_CONTEXT_URL, dspErrorBody, mountDspApi } from '../../src/http/index.js';
import { jsonOf, serve, silentLogger } from './harness.js';

const notFound = fail('SOV_NOT_FOUND', 'no such process');

describe('DSP error bodies name both pids (DSP 2025-1 error schemas require them)', () => {
  it('sends a pid nothing names as the empty string on negotiation and transfer errors, and none on catalog errors', () => {
    expect(dspErrorBody(notFound, { type: 'TransferError', consumerPid: 'urn:uuid:c-1' })).toEqual({
      '@context': [DSP_CONTEXT_URL],
      '@type': 'TransferError',
      providerPid: '',
      consumerPid: 'urn:uuid:c-1',
      code: 'SOV_NOT_FOUND',
      reason: ['no such process'],
    });
    expect(dspErrorBody(notFound, { type: 'ContractNegotiationError' })).toMatchObject({ providerPid: '', consumerPid: '' });
    expect(dspErrorBody(notFound, { type: 'CatalogError', providerPid: 'urn:uuid:p-1' })).not.toHaveProperty('providerPid');
  });

  it('echoes the pids of the request body in a DSP route 404 fallback', async () => {
    const app = createHttpApp({ logger: silentLogger, limits: { managementBodyBytes: 4096, dspBodyBytes: 4096 } });
    mountDspApi(app, { routes: [{ path: '/negotiations', errorType: 'ContractNegotiationError', router: express.Router() }] });
    const response = await fetch(`${await serve(app)}/dsp/negotiations/urn:uuid:p-1/nowhere`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ providerPid: 'urn:uuid:p-1', consumerPid: 42 }),
    });
    expect(response.status).toBe(404);
    expect(await jsonOf(response)).toMatchObject({ '@type': 'ContractNegotiationError', code: 'SOV_HTTP_ROUTE_NOT_FOUND', providerPid: 'urn:uuid:p-1', consumerPid: '' });
  });
});
