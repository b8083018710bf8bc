/**
 * /api/negotiations (issue 6 "Management API"): start a contract negotiation from an offer of
 * a partner's catalogue, or from an offer's rules received out of band for an offer that
 * catalogue hides from us (researchers too, for themselves), list and show them — a shown
 * negotiation carries its decision record, the policy engine's report of which rule and which
 * constraint decided — and terminate one (admins). Researchers see only their own.
 */
import { Router } from 'express';
import { fail, ok } from '../../errors/index.js';
import { requireRole } from '../auth.js';
import { problem } from '../problem.js';
import { paramOf, queryOf, reply, validate } from './exchange.js';
import type { NegotiationCommands, ProcessOwners, RemoteCatalogs } from './ports.js';
import { maySee, ownerOf, visiblePage } from './process-owners.js';
import type { TargetedOffer } from '../../negotiation/index.js';
import { findRemoteOffer } from './remote-offer.js';
import { negotiationStartSchema, processListQuerySchema, codeReasonSchema } from './schemas.js';

export interface NegotiationsRouterOptions {
  negotiations: NegotiationCommands;
  catalogs: RemoteCatalogs;
  owners: ProcessOwners;
}

export function negotiationsRouter(options: NegotiationsRouterOptions): Router {
  const { negotiations, catalogs, owners } = options;
  const router = Router();
  const notFound = (id: string) => fail('SOV_NEG_NOT_FOUND', `No contract negotiation ${id}`, { id });

  router.post('/negotiations', async (req, res) => {
    const body = validate(negotiationStartSchema, req.body, 'negotiation request');
    if (!body.ok) return problem(res, body);
    const { providerDid, url, offerId, datasetId, purpose, offer } = body.value;
    const provider = { ...(providerDid === undefined ? {} : { did: providerDid }), ...(url === undefined ? {} : { url }) };
    // An offer received out of band goes to the provider as given; its rules decide, not ours.
    const found = offer === undefined ? await findRemoteOffer(catalogs, provider, { datasetId, offerId }) : ok({ offer: { ...offer, target: datasetId } as unknown as TargetedOffer });
    if (!found.ok) return problem(res, found);
    const started = await negotiations.start({ offer: found.value.offer, provider, ...(purpose === undefined ? {} : { purpose }) });
    if (started.ok) await owners.record('negotiation', started.value.id, ownerOf(res));
    reply(res, started, 201);
  });

  router.get('/negotiations', async (req, res) => {
    const query = validate(processListQuerySchema, queryOf(req), 'negotiation list query');
    if (!query.ok) return problem(res, query);
    const page = await negotiations.list(query.value);
    reply(res, page.ok ? ok(await visiblePage(owners, res, 'negotiation', page.value)) : page);
  });

  router.get('/negotiations/:id', async (req, res) => {
    const id = paramOf(req, 'id');
    const record = await negotiations.get(id);
    reply(res, record !== undefined && (await maySee(owners, res, 'negotiation', id)) ? ok(record) : notFound(id));
  });

  router.post('/negotiations/:id/terminate', requireRole('admin'), async (req, res) => {
    const body = validate(codeReasonSchema, req.body ?? {}, 'termination');
    if (!body.ok) return problem(res, body);
    const { code, reason } = body.value;
    const termination = { ...(code === undefined ? {} : { code }), ...(reason === undefined ? {} : { reason: [reason] }) };
    reply(res, await negotiations.terminate(paramOf(req, 'id'), termination));
  });
  return router;
}
