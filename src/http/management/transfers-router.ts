/**
 * /api/transfers (issue 6 "Transfers: start for an agreement, list, show, suspend, resume,
 * terminate"): a consumer starts a transfer process under a finalized agreement it holds —
 * a researcher only under an agreement of its own negotiations — and admins steer running
 * processes. Researchers see only the transfers they started. A consumer transfer's view adds
 * `progress` (container bytes our data plane holds of its pull) so a client can follow a pull.
 */
import { Router, type Response } from 'express';
import { fail, ok, type Result } from '../../errors/index.js';
import { requireRole } from '../auth.js';
import { problem } from '../problem.js';
import { paramOf, queryOf, reply, validate } from './exchange.js';
import type { AgreementRecords, ProcessOwners, TransferCommands } from './ports.js';
import { maySee, ownerOf, visiblePage } from './process-owners.js';
import { codeReasonSchema, processListQuerySchema, resumeSchema, transferStartSchema } from './schemas.js';

/** How much of a consumer pull our data plane holds: container bytes so far, and the whole once known. */
export interface PullProgressView {
  bytes: number;
  total?: number;
}

export interface TransfersRouterOptions {
  transfers: TransferCommands;
  agreements: Pick<AgreementRecords, 'findByAgreementId'>;
  owners: ProcessOwners;
  /** Read only: the progress of the pull of consumer transfer `id`, undefined before its first byte. */
  pullProgress?: (transferId: string) => Promise<PullProgressView | undefined>;
}

/**
 * A DataAddress's `authorization` property is the bearer transfer token (DSP §3 DataAddress);
 * it is the connectors' business, never shown to API users or the console.
 */
const SECRET_PROPERTIES = new Set(['authorization']);

function withoutSecrets<T>(record: T): T {
  const address = (record as { dataAddress?: { endpointProperties?: Array<{ name: string }> } }).dataAddress;
  if (address?.endpointProperties === undefined) return record;
  const endpointProperties = address.endpointProperties.filter((property) => !SECRET_PROPERTIES.has(property.name));
  return { ...record, dataAddress: { ...address, endpointProperties } };
}

function shown<T>(result: Result<T>): Result<T> {
  return result.ok ? ok(withoutSecrets(result.value)) : result;
}

/** The distribution format when none is named: the pull over HTTP every offering supports by default. */
const DEFAULT_FORMAT = 'HttpData-PULL';

export function transfersRouter(options: TransfersRouterOptions): Router {
  const { transfers, owners } = options;
  const router = Router();
  const admin = requireRole('admin');

  /** A researcher may use only the agreements of negotiations it started. */
  async function mayUse(res: Response, agreementId: string): Promise<Result<void>> {
    const negotiation = await options.agreements.findByAgreementId(agreementId);
    if (negotiation !== undefined && (await maySee(owners, res, 'negotiation', negotiation.id))) return ok(undefined);
    return fail('SOV_TRANSFER_AGREEMENT_NOT_HELD', `No agreement ${agreementId} of ours`, { agreementId });
  }

  router.post('/transfers', async (req, res) => {
    const body = validate(transferStartSchema, req.body, 'transfer request');
    if (!body.ok) return problem(res, body);
    const allowed = await mayUse(res, body.value.agreementId);
    if (!allowed.ok) return problem(res, allowed);
    const started = await transfers.start({ agreementId: body.value.agreementId, format: body.value.format ?? DEFAULT_FORMAT });
    if (started.ok) await owners.record('transfer', started.value.id, ownerOf(res));
    reply(res, shown(started), 201);
  });

  router.get('/transfers', async (req, res) => {
    const query = validate(processListQuerySchema, queryOf(req), 'transfer list query');
    if (!query.ok) return problem(res, query);
    const page = await transfers.list(query.value);
    if (!page.ok) return reply(res, page);
    const visible = await visiblePage(owners, res, 'transfer', page.value);
    reply(res, ok({ ...visible, items: visible.items.map(withoutSecrets) }));
  });

  router.get('/transfers/:id', async (req, res) => {
    const id = paramOf(req, 'id');
    const record = await transfers.get(id);
    const visible = record !== undefined && (await maySee(owners, res, 'transfer', id));
    if (!visible) return reply(res, fail('SOV_TRANSFER_NOT_FOUND', `No transfer process ${id}`, { id }));
    const progress = record.role === 'consumer' ? await options.pullProgress?.(id) : undefined;
    reply(res, ok({ ...withoutSecrets(record), ...(progress === undefined ? {} : { progress }) }));
  });

  for (const action of ['suspend', 'terminate'] as const) {
    router.post(`/transfers/:id/${action}`, admin, async (req, res) => {
      const body = validate(codeReasonSchema, req.body ?? {}, action);
      if (!body.ok) return problem(res, body);
      const { code, reason } = body.value;
      const why = { ...(code === undefined ? {} : { code }), ...(reason === undefined ? {} : { reason: [reason] }) };
      reply(res, shown(await transfers[action](paramOf(req, 'id'), why)));
    });
  }
  router.post('/transfers/:id/resume', admin, async (req, res) => {
    const body = validate(resumeSchema, req.body ?? {}, 'resume');
    reply(res, body.ok ? shown(await transfers.resume(paramOf(req, 'id'))) : body);
  });
  return router;
}
