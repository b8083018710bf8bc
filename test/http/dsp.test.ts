import express from 'express';
import { describe, expect, it } from 'vitest';
import { fail } from '../../src/errors/index.js';
import { createHttpApp, DSP_CONTEXT_URL, dspError, dspErrorBody, mountDspApi, problemBody } from '../../src/http/index.js';
import { jsonOf, serve, silentLogger } from './harness.js';

async function dspServer(): Promise<string> {
  const app = createHttpApp({ logger: silentLogger, limits: { managementBodyBytes: 4096, dspBodyBytes: 1024 } });
  const negotiations = express.Router();
  negotiations.post('/request', (req, res) => {
    const body = req.body as { consumerPid?: string };
    dspError(res, fail('SOV_CONFLICT', 'the offer is no longer available'), {
      type: 'ContractNegotiationError',
      providerPid: 'urn:uuid:p-1',
      consumerPid: body.consumerPid,
      reasons: ['offer withdrawn'],
    });
  });
  const transfers = express.Router();
  transfers.post('/request', (req, res) => {
    res.json({ received: req.body as unknown });
  });
  transfers.get('/crash', () => {
    throw new Error('secret internals');
  });
  mountDspApi(app, {
    routes: [
      { path: '/negotiations', errorType: 'ContractNegotiationError', router: negotiations },
      { path: '/transfers', errorType: 'TransferError', router: transfers },
    ],
  });
  return serve(app);
}

const postJson = (url: string, body: string, contentType = 'application/ld+json') =>
  fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });

describe('DSP error rendering', () => {
  it('renders a handler refusal as a DSP error message with the failure status and process ids', async () => {
    const response = await postJson(`${await dspServer()}/dsp/negotiations/request`, JSON.stringify({ consumerPid: 'urn:uuid:c-1' }));
    expect(response.status).toBe(409);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await jsonOf(response)).toEqual({
      '@context': [DSP_CONTEXT_URL],
      '@type': 'ContractNegotiationError',
      providerPid: 'urn:uuid:p-1',
      consumerPid: 'urn:uuid:c-1',
      code: 'SOV_CONFLICT',
      reason: ['the offer is no longer available', 'offer withdrawn'],
    });
  });

  it('accepts application/ld+json bodies within the DSP limit', async () => {
    const response = await postJson(`${await dspServer()}/dsp/transfers/request`, JSON.stringify({ '@type': 'TransferRequestMessage' }));
    expect(await jsonOf(response)).toEqual({ received: { '@type': 'TransferRequestMessage' } });
  });

  it('answers an oversized body on a DSP route with 413 and a DSP error of the route type', async () => {
    const response = await postJson(`${await dspServer()}/dsp/transfers/request`, JSON.stringify({ pad: 'x'.repeat(2000) }));
    expect(response.status).toBe(413);
    expect(await jsonOf(response)).toMatchObject({ '@type': 'TransferError', code: 'SOV_PAYLOAD_TOO_LARGE', reason: ['the request body exceeds the limit of 1024 bytes'] });
  });

  it('answers malformed JSON and wrong media types on DSP routes as DSP errors', async () => {
    const base = await dspServer();
    const malformed = await postJson(`${base}/dsp/negotiations/request`, '{"consumerPid":');
    expect(malformed.status).toBe(400);
    expect(await jsonOf(malformed)).toMatchObject({ '@type': 'ContractNegotiationError', code: 'SOV_HTTP_MALFORMED_JSON' });
    const wrongType = await postJson(`${base}/dsp/transfers/request`, '<xml/>', 'application/xml');
    expect(wrongType.status).toBe(415);
    expect(await jsonOf(wrongType)).toMatchObject({ '@type': 'TransferError', code: 'SOV_UNSUPPORTED_MEDIA_TYPE' });
  });

  it('answers unknown DSP paths and thrown errors as DSP errors without internals', async () => {
    const base = await dspServer();
    const missing = await fetch(`${base}/dsp/transfers/urn:uuid:nope`);
    expect(missing.status).toBe(404);
    expect(await jsonOf(missing)).toMatchObject({ '@type': 'TransferError', code: 'SOV_HTTP_ROUTE_NOT_FOUND' });
    const crash = await fetch(`${base}/dsp/transfers/crash`);
    expect(crash.status).toBe(500);
    const text = await crash.text();
    expect(text).not.toContain('secret internals');
    expect(JSON.parse(text)).toMatchObject({ '@type': 'TransferError', code: 'SOV_INTERNAL' });
  });

  it('keeps problem+json outside the DSP mounts', async () => {
    const response = await fetch(`${await dspServer()}/elsewhere`);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});

describe('error bodies', () => {
  it('omits absent process ids from a CatalogError', () => {
    expect(dspErrorBody(fail('SOV_NOT_FOUND', 'no dataset d-9'), { type: 'CatalogError' })).toEqual({
      '@context': [DSP_CONTEXT_URL],
      '@type': 'CatalogError',
      code: 'SOV_NOT_FOUND',
      reason: ['no dataset d-9'],
    });
  });

  it('never lets failure data overwrite the standard problem members', () => {
    const body = problemBody(fail('SOV_FORBIDDEN', 'no', { status: 200, title: 'fine', rule: 'r-1' }));
    expect(body).toMatchObject({ status: 403, title: 'The caller may not perform this action', rule: 'r-1' });
  });
});
