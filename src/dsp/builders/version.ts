/**
 * The `/.well-known/dspace-version` body (dsp.md §2): unversioned, unauthenticated, one entry
 * for 2025-1 over HTTPS with did:web identifiers and the DCP-shaped auth overlay we speak.
 */
import { DSP_VERSION } from '../context.js';
import type { VersionResponse } from '../types.js';

export interface VersionDocumentInput {
  /** Path of the DSP base relative to the connector root, e.g. `/api/dsp/2025-1`. */
  path: string;
  serviceId?: string;
  /** Auth overlay version advertised in `auth.version`. */
  authVersion?: string;
  authProfiles?: string[];
}

export function versionResponse(input: VersionDocumentInput): VersionResponse {
  const profile = input.authProfiles ?? [];
  return {
    protocolVersions: [
      {
        version: DSP_VERSION,
        path: input.path,
        binding: 'HTTPS',
        identifierType: 'did:web',
        ...(input.serviceId === undefined ? {} : { serviceId: input.serviceId }),
        auth: { protocol: 'DCP', version: input.authVersion ?? '1.0', ...(profile.length === 0 ? {} : { profile }) },
      },
    ],
  };
}
