/**
 * The registrar's public face: its DID document (did:web §3.2: a DID with a path resolves to
 * `<path>/did.json`, e.g. `did:web:127.0.0.1%3A7102:registrar` → `/registrar/did.json`) and its
 * revocation list credential (Bitstring Status List §3, at `<path>/status/revocation/1`).
 * Mount the router at `registrarMountPath(registrar)`, on a connector's app or on its own.
 */
import express, { type Router } from 'express';
import { problem } from '../../http/index.js';
import type { Registrar } from '../registrar/registrar.js';

export const registrarPaths = {
  didDocument: '/did.json',
  revocationList: '/status/revocation/1',
} as const;

/** The path the registrar's base URL names (`/registrar`), where its router is mounted. */
export function registrarMountPath(registrar: Pick<Registrar, 'baseUrl'>): string {
  return new URL(registrar.baseUrl).pathname.replace(/\/+$/, '') || '/';
}

export function registrarRoutes(registrar: Pick<Registrar, 'didDocument' | 'statusListCredential'>): Router {
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
  return router;
}
