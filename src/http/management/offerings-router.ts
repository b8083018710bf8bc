/**
 * /api/offerings: create, list, show, update (PATCH merges, PUT replaces; each a new version)
 * and retire this connector's offerings (issue 6 "Management API"). Bodies are validated with
 * the offerings capability's schemas, and the classification must be a label of this
 * partner's jurisdiction profile below the level the connector refuses outright (design.md
 * "Jurisdiction profiles"). Reading is open to researchers; changing needs an admin. Each
 * change is audited by the repository's commit hook in the change's own transaction.
 */
import { Router, type Response } from 'express';
import { fail, ok, type Result } from '../../errors/index.js';
import { createOfferingSchema, updateOfferingSchema } from '../../offerings/index.js';
import { levelOfLabel, REFUSED_FROM_LEVEL, type JurisdictionProfile } from '../../policy/index.js';
import { requireRole } from '../auth.js';
import { problem } from '../problem.js';
import { actorOf, paramOf, queryOf, reply, validate } from './exchange.js';
import type { OfferingCommands } from './ports.js';
import { offeringListQuerySchema, replaceOfferingSchema, retireOfferingSchema } from './schemas.js';

export interface OfferingsRouterOptions {
  offerings: OfferingCommands;
  /** This partner's jurisdiction profile: offering classifications are its labels. */
  profile: JurisdictionProfile;
}

/** Labels match as the policy capability matches them: case, spaces, `-`, `:` and `_` ignored. */
const normalised = (label: string): string => label.toUpperCase().replace(/[\s_:-]+/g, ' ').trim();

/** The profile's own spelling of `label`, if an offering may carry it. */
function checkClassification(profile: JurisdictionProfile, label: string | undefined): Result<string | undefined> {
  if (label === undefined) return ok(undefined);
  const level = levelOfLabel(profile, label);
  const known = profile.classification.labels.map((entry) => entry.label).join(', ');
  if (level === undefined) {
    return fail('SOV_OFFERING_INVALID', `"${label}" is not a classification of the ${profile.classification.scheme} scheme (${known})`, {
      issues: [{ path: 'classification', message: `one of ${known}` }],
    });
  }
  if (level >= REFUSED_FROM_LEVEL) {
    return fail('SOV_OFFERING_INVALID', `"${label}" is at common level ${level}: SECRET and above are never offered`, {
      issues: [{ path: 'classification', message: `below common level ${REFUSED_FROM_LEVEL}` }],
    });
  }
  return ok(profile.classification.labels.find((entry) => normalised(entry.label) === normalised(label))?.label ?? label);
}

export function offeringsRouter(options: OfferingsRouterOptions): Router {
  const { offerings, profile } = options;
  const router = Router();
  const admin = requireRole('admin');
  /** Checks the body's classification and stores it as the profile spells it; false once refused. */
  const classified = (res: Response, body: { classification?: string }): boolean => {
    const checked = checkClassification(profile, body.classification);
    if (!checked.ok) problem(res, checked);
    else if (checked.value !== undefined) body.classification = checked.value;
    return checked.ok;
  };

  router.post('/offerings', admin, async (req, res) => {
    const body = validate(createOfferingSchema, req.body, 'offering', 'SOV_OFFERING_INVALID');
    if (!body.ok) return problem(res, body);
    if (!classified(res, body.value)) return;
    reply(res, await offerings.create(body.value, { actor: actorOf(res) }), 201);
  });

  router.get('/offerings', async (req, res) => {
    const query = validate(offeringListQuerySchema, queryOf(req), 'offering list query');
    reply(res, query.ok ? await offerings.list(query.value) : query);
  });

  router.get('/offerings/:id', async (req, res) => {
    const id = paramOf(req, 'id');
    const offering = await offerings.get(id);
    reply(res, offering === undefined ? fail('SOV_OFFERING_NOT_FOUND', `No offering ${id}`, { id }) : ok(offering));
  });

  router.patch('/offerings/:id', admin, async (req, res) => {
    const body = validate(updateOfferingSchema, req.body, 'offering update', 'SOV_OFFERING_INVALID');
    if (!body.ok) return problem(res, body);
    if (!classified(res, body.value)) return;
    reply(res, await offerings.update(paramOf(req, 'id'), body.value, { actor: actorOf(res) }));
  });

  router.put('/offerings/:id', admin, async (req, res) => {
    const body = validate(replaceOfferingSchema, req.body, 'offering', 'SOV_OFFERING_INVALID');
    if (!body.ok) return problem(res, body);
    if (!classified(res, body.value)) return;
    // Optional fields left out of a replacement are removed, not kept from the old version.
    const replacement = { description: undefined, anonymisation: undefined, ...body.value };
    reply(res, await offerings.update(paramOf(req, 'id'), replacement, { actor: actorOf(res) }));
  });

  router.post('/offerings/:id/retire', admin, async (req, res) => {
    const body = validate(retireOfferingSchema, req.body ?? {}, 'retirement');
    if (!body.ok) return problem(res, body);
    const { expectedVersion } = body.value;
    reply(res, await offerings.retire(paramOf(req, 'id'), { actor: actorOf(res), ...(expectedVersion === undefined ? {} : { expectedVersion }) }));
  });
  return router;
}
