/**
 * The schema of `connectors/<partner>/connector.json` (conventions §12): every key sits next to
 * its description and its default. Each leaf states in words what it expects, so a refusal
 * reads `port: expected an integer between 1 and 65535, got "abc"` rather than a zod internal.
 * Defaults that depend on other keys (public base URL, data dir) are filled in by `resolve.ts`.
 */
import { z } from 'zod';

/** Every refusal of a leaf reads "expected <phrase>"; `issues.ts` appends what it got. */
function expecting(phrase: string): { error: string } {
  return { error: `expected ${phrase}` };
}

const PORT = expecting('an integer between 1 and 65535');
const port = z.int(PORT).min(1, PORT).max(65535, PORT);

const BYTES = expecting('an integer number of bytes between 1024 and 1073741824');
const byteLimit = z.int(BYTES).min(1024, BYTES).max(1024 ** 3, BYTES);

const NON_EMPTY = expecting('a non-empty string');
const text = z.string(NON_EMPTY).trim().min(1, NON_EMPTY).max(500, expecting('at most 500 characters'));

/** ISO 3166-1 alpha-2 (`GB`, `BE`, `CA`, `AU`), as Gaia-X `gx:countryCode` uses. */
const COUNTRY = expecting('an ISO 3166-1 alpha-2 country code such as "GB"');
const countryCode = z.string(COUNTRY).regex(/^[A-Z]{2}$/, COUNTRY);

/** ISO 3166-2 (`GB-ENG`, `CA-ON`), as Gaia-X `gx:countrySubdivisionCode` requires (identity.md). */
const SUBDIVISION = expecting('an ISO 3166-2 subdivision code such as "GB-ENG"');
const subdivisionCode = z.string(SUBDIVISION).regex(/^[A-Z]{2}-[A-Z0-9]{1,3}$/, SUBDIVISION);

const addressSchema = z
  .strictObject(
    {
      countrySubdivisionCode: subdivisionCode.describe('ISO 3166-2 code of the region; required, no default'),
      countryCode: countryCode
        .optional()
        .describe('ISO 3166-1 alpha-2 country; default: the first two letters of countrySubdivisionCode'),
      locality: text.optional().describe('City or town; default: none (optional in Gaia-X)'),
    },
    expecting('an address object'),
  )
  .superRefine((address, ctx) => {
    const prefix = address.countrySubdivisionCode.slice(0, 2);
    if (address.countryCode !== undefined && address.countryCode !== prefix) {
      ctx.addIssue({
        code: 'custom',
        path: ['countryCode'],
        message: `expected "${prefix}" to match countrySubdivisionCode ${address.countrySubdivisionCode}`,
      });
    }
  })
  .transform((address) => ({ ...address, countryCode: address.countryCode ?? address.countrySubdivisionCode.slice(0, 2) }));

/** Gaia-X registration number kinds (identity.md: gx:vatID, gx:leiCode, gx:EORI, gx:EUID, gx:taxID) plus a local one. */
export const registrationNumberTypes = ['vatID', 'leiCode', 'EORI', 'EUID', 'taxID', 'local'] as const;
const REG_TYPE = expecting(`one of ${registrationNumberTypes.map((t) => `"${t}"`).join(', ')}`);

const legalSchema = z.strictObject(
  {
    legalName: text.describe('Registered legal name of the agency (gx:legalName); required, no default'),
    registrationNumber: z
      .strictObject(
        {
          type: z.enum(registrationNumberTypes, REG_TYPE).describe('Kind of registration number; required'),
          value: text.describe('The registration number itself; required'),
        },
        expecting('an object {type, value}'),
      )
      .describe('Legal registration number (gx:registrationNumber); required, no default'),
    headquarterAddress: addressSchema.describe('Headquarters address (gx:headquarterAddress); required, no default'),
    legalAddress: addressSchema.describe('Legal address (gx:legalAddress); required, no default'),
  },
  expecting('an object with legalName, registrationNumber, headquarterAddress and legalAddress'),
);

/** A did:web DID (did:web spec §3.1: host with optional %3A port, then optional `:`-separated path). */
const DID_WEB = expecting('a did:web DID such as "did:web:127.0.0.1%3A7102"');
const didWeb = z.string(DID_WEB).regex(/^did:web:[A-Za-z0-9.-]+(%3A\d{1,5})?(:[A-Za-z0-9._~-]+)*$/, DID_WEB);

/**
 * A pinned Ed25519 public key as a Multikey (`z` base58btc of 0xed01 + 32 bytes): such a key is
 * always 48 characters starting with `z6Mk`. Pinning means a hijacked web host cannot mint
 * members (identity.md, trust anchors).
 */
const MULTIKEY = expecting('an Ed25519 Multikey: "z6Mk" followed by 44 base58 characters');
const ed25519Multikey = z.string(MULTIKEY).regex(/^z6Mk[1-9A-HJ-NP-Za-km-z]{44}$/, MULTIKEY);

const trustedRegistrarSchema = z.strictObject(
  {
    did: didWeb.describe('DID of a national registrar this connector accepts; required'),
    label: text.optional().describe('Human label, e.g. "UK national registrar"; default: none'),
    keys: z
      .array(ed25519Multikey, expecting('an array of Ed25519 Multikeys'))
      .min(1, expecting('at least one pinned key'))
      .describe('Pinned public keys the registrar signs with; required, at least one'),
    credentialTypes: z
      .array(text, expecting('an array of credential type names'))
      .min(1, expecting('at least one credential type'))
      .default(['FederationMembershipCredential'])
      .describe('Credential types accepted from this registrar; default ["FederationMembershipCredential"]'),
  },
  expecting('a trusted registrar object {did, keys, credentialTypes}'),
);

const PATH = expecting('a URL path starting with "/", such as "/registrar"');
const urlPath = z.string(PATH).regex(/^\/[A-Za-z0-9._~/-]*$/, PATH);

const registrarSchema = z
  .strictObject(
    {
      enabled: z
        .boolean(expecting('true or false'))
        .default(false)
        .describe('Whether this process also runs the nation\'s registrar; default false'),
      port: port
        .optional()
        .describe('Own port for the registrar; default: none, it is then mounted on the connector port at `path`'),
      path: urlPath.default('/registrar').describe('URL path of the registrar (its did:web path); default "/registrar"'),
    },
    expecting('an object {enabled, port, path}'),
  )
  .default({ enabled: false, path: '/registrar' });

const limitsSchema = z
  .strictObject(
    {
      managementBodyBytes: byteLimit.default(1024 * 1024).describe('Largest JSON body on /api; default 1 MiB'),
      dspBodyBytes: byteLimit
        .default(256 * 1024)
        .describe('Largest JSON body on DSP and other connector-to-connector routes; default 256 KiB'),
    },
    expecting('an object {managementBodyBytes, dspBodyBytes}'),
  )
  .default({ managementBodyBytes: 1024 * 1024, dspBodyBytes: 256 * 1024 });

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const LOG_LEVEL = expecting(`one of ${logLevels.map((l) => `"${l}"`).join(', ')}`);

const PARTNER = expecting('2 to 8 lowercase letters, such as "uk"');
const JURISDICTION = expecting('2 to 8 uppercase letters, such as "UK"');
const HOST = expecting('a host name or IP address such as "127.0.0.1"');
const HTTP_URL = expecting('an http(s) URL without query or fragment, such as "https://connector.example.org"');
const DATABASE_URL = expecting('a postgres:// or postgresql:// URL');

/** The raw shape of connector.json after defaults, before derived defaults are filled in. */
export const connectorFileSchema = z.strictObject(
  {
    name: text.describe('Display name of this connector; required, no default'),
    partner: z
      .string(PARTNER)
      .regex(/^[a-z]{2,8}$/, PARTNER)
      .describe('Partner code, the folder name under connectors/ (e.g. "uk"); required, no default'),
    jurisdiction: z
      .string(JURISDICTION)
      .regex(/^[A-Z]{2,8}$/, JURISDICTION)
      .describe('Jurisdiction code of this partner, as in its jurisdiction.json (e.g. "UK"); required, no default'),
    legal: legalSchema.describe('Legal facts for the Gaia-X participant credential; required, no default'),
    host: z
      .string(HOST)
      .regex(/^[A-Za-z0-9.:-]+$/, HOST)
      .default('127.0.0.1')
      .describe('Interface the HTTP server binds; default "127.0.0.1" (loopback only)'),
    port: port.default(7101).describe('TCP port of the connector (DSP, identity, /api); default 7101'),
    publicBaseUrl: z
      .url({ ...HTTP_URL, protocol: /^https?$/ })
      .refine((value) => !/[?#]/.test(value), HTTP_URL)
      .optional()
      .describe('URL other connectors reach us at (and our did:web host); default http://<host>:<port>'),
    dataDir: text.optional().describe('Where keys, store and secrets live, relative to the project root; default ".data/<partner>"'),
    trustList: z
      .array(trustedRegistrarSchema, expecting('an array of trusted registrars'))
      .default([])
      .describe('Registrars whose membership credentials we accept (our sovereign choice); default [] (none yet)'),
    registrar: registrarSchema.describe('The national registrar this process may also run; default disabled'),
    databaseUrl: z
      .string(DATABASE_URL)
      .regex(/^postgres(ql)?:\/\/\S+$/, DATABASE_URL)
      .optional()
      .describe('Postgres connection URL; env DATABASE_URL overrides; default: none, the store uses SQLite under dataDir'),
    limits: limitsSchema.describe('Request body size limits'),
    logLevel: z.enum(logLevels, LOG_LEVEL).default('info').describe('pino log level; default "info"'),
  },
  expecting('a JSON object'),
);

export type ConnectorFile = z.output<typeof connectorFileSchema>;
export type ConnectorAddress = z.output<typeof addressSchema>;
export type TrustedRegistrar = z.output<typeof trustedRegistrarSchema>;
export type LogLevel = (typeof logLevels)[number];
