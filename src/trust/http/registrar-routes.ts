/**
 * The registrar's public face: its DID document (did:web §3.2: a DID with a path resolves to
 * `<path>/did.json`, e.g. `did:web:127.0.0.1%3A7102:registrar` → `/registrar/did.json`), its
 * revocation list credential (Bitstring Status List §3, at `<path>/status/revocation/1`) and
 * its member directory (`<path>/members`: the DIDs, legal names and jurisdictions of the live
 * accreditations, so partners know whose catalogues to crawl). The directory is public and
 * unsigned, like a published register: it only says whom to ask, and a crawler still verifies
 * each member's credential before believing anything it serves.
 * Mount the router at `registrarMountPath(registrar)`, on a connector's app or on its own.
 */
import express, { type Router } from 'express';
import { systemClock, type Clock } from '../../clock/index.js';
import { problem } from '../../http/index.js';
import type { AccreditationRecord } from '../registrar/ports.js';
import type { Registrar } from '../registrar/registrar.js';

export const registrarPaths = {
  didDocument: '/did.json',
  revocationList: '/status/revocation/1',
  members: '/members',
} as const;

/** One entry of `GET <registrar>/members`. */
export interface RegistrarMember {
  did: string;
  legalName: string;
  jurisdiction: string;
}

/** The path the registrar's base URL names (`/registrar`), where its router is mounted. */
export function registrarMountPath(registrar: Pick<Registrar, 'baseUrl'>): string {
  return new URL(registrar.baseUrl).pathname.replace(/\/+$/, '') || '/';
}

/** Members with a credential neither revoked nor expired at `now`; one entry per DID (its latest credential). */
export function liveMembers(records: readonly AccreditationRecord[], now: number): RegistrarMember[] {
  const byDid = new Map<string, RegistrarMember>();
  for (const record of records) {
    if (record.revokedAt !== undefined || Date.parse(record.validUntil) <= now) continue;
    byDid.set(record.subject, { did: record.subject, legalName: record.legalName, jurisdiction: record.jurisdiction });
  }
  return [...byDid.values()].sort((a, b) => a.did.localeCompare(b.did));
}

export function registrarRoutes(
  registrar: Pick<Registrar, 'did' | 'didDocument' | 'statusListCredential' | 'accreditations'>,
  options: { clock?: Clock } = {},
): Router {
  const clock = options.clock ?? systemClock;
  const router = express.Router();
  router.get(registrarPaths.didDocument, (_req, res) => {
    res.type('application/did+json').send(JSON.stringify(registrar.didDocument()));
  });
  router.get(registrarPaths.revocationList, async (_req, res) => {
    const list = await registrar.statusListCredential();
    if (!list.ok) return problem(res, list);
    // Verifiers cache by the list's own validUntil/ttl; intermediaries must not add their own.
    res.set('Cache-Control', 'no-cache').json(list.value);
  });
  router.get(registrarPaths.members, async (_req, res) => {
    const members = liveMembers(await registrar.accreditations(), clock.now());
    res.set('Cache-Control', 'no-cache').json({ registrar: registrar.did, members });
  });
  return router;
}
