/**
 * The PartnerDirectory over the registrars of our trust list: each registrar's member
 * directory at `<registrar base>/members` (src/trust/http/registrar-routes.ts), where the base
 * is the registrar's did:web URL without `did.json` (did:web §3.2). Read with a timeout, a
 * size cap and no redirects, and checked against its schema; an unreadable directory is that
 * registrar's failure only.
 */
import { z } from 'zod';
import { fail, ok, type Result } from '../../../errors/index.js';
import { didToUrl, fetchJsonBounded, type FetchLike } from '../../../identity/index.js';
import type { PartnerCandidate, PartnerDirectory } from '../ports.js';

const membersSchema = z.object({
  registrar: z.string(),
  members: z.array(z.object({ did: z.string().regex(/^did:[a-z0-9]+:\S+$/), legalName: z.string().max(500), jurisdiction: z.string().max(8) })).max(10_000),
});

export interface RegistrarDirectoryOptions {
  /** DIDs of the registrars of our trust list. */
  registrars: readonly string[];
  fetch: FetchLike;
  /** Default 5 s. */
  timeoutMs?: number;
}

/** `did:web:host%3A7102:uk` → `http://host:7102/uk/members`. */
export function membersUrl(registrarDid: string): Result<string> {
  const document = didToUrl(registrarDid);
  if (!document.ok) return document;
  const base = document.value.replace(/\/(\.well-known\/)?did\.json$/, '');
  return ok(`${base}/members`);
}

export function registrarDirectory(options: RegistrarDirectoryOptions): PartnerDirectory {
  async function membersOf(registrar: string): Promise<Result<PartnerCandidate[]>> {
    const url = membersUrl(registrar);
    if (!url.ok) return url;
    const body = await fetchJsonBounded(url.value, {
      fetch: options.fetch,
      timeoutMs: options.timeoutMs ?? 5_000,
      maxBytes: 4 * 1024 * 1024,
      unavailableCode: 'SOV_FEDCAT_REGISTRAR_UNAVAILABLE',
      invalidCode: 'SOV_FEDCAT_REGISTRAR_UNAVAILABLE',
      tooLargeCode: 'SOV_FEDCAT_REGISTRAR_UNAVAILABLE',
    });
    if (!body.ok) return body;
    const parsed = membersSchema.safeParse(body.value);
    if (!parsed.success || parsed.data.registrar !== registrar) {
      return fail('SOV_FEDCAT_REGISTRAR_UNAVAILABLE', `${url.value} did not answer with the member directory of ${registrar}`, { registrar });
    }
    return ok(parsed.data.members.map((member) => ({ did: member.did, legalName: member.legalName, registrar })));
  }
  return {
    list: () => Promise.all(options.registrars.map(async (registrar) => ({ registrar, members: await membersOf(registrar) }))),
  };
}
