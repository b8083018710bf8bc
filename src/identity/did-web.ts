/**
 * did:web ↔ URL mapping (did:web method spec §3.2 "Read (Resolve)", identity.md §3).
 * `did:web:example.com` → `https://example.com/.well-known/did.json`;
 * `did:web:example.com%3A8443:conn:uk` → `https://example.com:8443/conn/uk/did.json`.
 * Deliberate deviation (design.md "Trust model"): loopback hosts resolve over plain http so a
 * local federation runs without certificates; every other host is https only, and IP
 * literals other than loopback are refused as the method spec forbids IP addresses.
 */
import { fail, ok, type Result } from '../errors/index.js';

const DID_WEB_PREFIX = 'did:web:';
/** A path segment of the method-specific id: unreserved / pct-encoded characters, no dot segments. */
const PATH_SEGMENT = /^(?!\.{1,2}$)(?:[A-Za-z0-9._~-]|%[0-9A-Fa-f]{2})+$/;

/** True for `localhost`, `127.0.0.0/8` and `::1`, the only hosts allowed plain http. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host === '::1') return true;
  const octets = host.split('.');
  return octets.length === 4 && octets[0] === '127' && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255);
}

function isIpLiteral(hostname: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(hostname) || hostname.startsWith('[') || hostname.includes(':');
}

/** The did:web DID for a connector's base URL (`http://127.0.0.1:7001` → `did:web:127.0.0.1%3A7001`). */
export function didFromUrl(baseUrl: string): Result<string> {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return fail('SOV_IDENTITY_INVALID_DID', `"${baseUrl}" is not a URL`);
  }
  const transport = checkTransport(url);
  if (!transport.ok) return transport;
  if (url.search || url.hash || url.username || url.password) {
    return fail('SOV_IDENTITY_INVALID_DID', `"${baseUrl}" must be a plain base URL (no query, fragment or credentials)`);
  }
  // §3.2: the port colon is percent-encoded; IPv6 brackets/colons likewise so the host stays one segment.
  const host = encodeURIComponent(url.host);
  const segments = url.pathname.split('/').filter((s) => s.length > 0);
  if (segments.at(-1) === 'did.json') segments.pop();
  if (segments.length === 1 && segments[0] === '.well-known') segments.pop();
  return ok([`${DID_WEB_PREFIX}${host}`, ...segments].join(':'));
}

/** The URL of the DID document for a did:web DID, or a failure naming what is wrong. */
export function didToUrl(did: string): Result<string> {
  if (!did.startsWith(DID_WEB_PREFIX) || /[#?/]/.test(did)) {
    return fail('SOV_IDENTITY_INVALID_DID', `"${did}" is not a did:web DID (no path, query or fragment allowed)`);
  }
  const [encodedHost = '', ...path] = did.slice(DID_WEB_PREFIX.length).split(':');
  let host: string;
  try {
    host = decodeURIComponent(encodedHost);
  } catch {
    return fail('SOV_IDENTITY_INVALID_DID', `"${did}" has an invalid percent-encoded host`);
  }
  if (path.some((segment) => !PATH_SEGMENT.test(segment))) {
    return fail('SOV_IDENTITY_INVALID_DID', `"${did}" has an invalid path segment`);
  }
  const loopback = isLoopbackHost(hostnameOf(host));
  let url: URL;
  try {
    url = new URL(`${loopback ? 'http' : 'https'}://${host}`);
  } catch {
    return fail('SOV_IDENTITY_INVALID_DID', `"${did}" does not name a valid host`);
  }
  if (url.host !== host.toLowerCase() || url.pathname !== '/') {
    return fail('SOV_IDENTITY_INVALID_DID', `"${did}" does not name a valid host`);
  }
  const transport = checkTransport(url);
  if (!transport.ok) return transport;
  const suffix = path.length === 0 ? '/.well-known/did.json' : `/${path.join('/')}/did.json`;
  return ok(`${url.origin}${suffix}`);
}

/** Refuses plain http except on loopback, and IP literals except loopback (identity.md §3). */
export function checkTransport(url: URL): Result<URL> {
  const loopback = isLoopbackHost(url.hostname);
  if (url.protocol === 'http:' && !loopback) {
    return fail('SOV_IDENTITY_INSECURE_TRANSPORT', `${url.href} uses plain http on a non-loopback host; https is required`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return fail('SOV_IDENTITY_INSECURE_TRANSPORT', `${url.href} is neither http nor https`);
  }
  if (!loopback && isIpLiteral(url.hostname)) {
    return fail('SOV_IDENTITY_INVALID_DID', `${url.hostname} is an IP address; did:web requires a domain name`);
  }
  return ok(url);
}

/** The hostname of `host[:port]` (IPv6 in brackets), read before a URL can be built. */
function hostnameOf(host: string): string {
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : (host.split(':')[0] ?? '');
}
