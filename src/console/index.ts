/**
 * The web console (issue 10): served by each connector at /console as static assets — one
 * HTML page, a stylesheet and hand-written ES modules, no build step and no framework — under a
 * strict Content-Security-Policy. Admins and researchers sign in with their bearer token; the
 * page then talks only to the management API under /api, so it can do nothing the API does not
 * allow that token. Pages: overview, offerings, federated catalogue, negotiations, transfers,
 * agreements, audit and compliance.
 */
export { consoleRouter, CONSOLE_PATH, CONSOLE_CSP, type ConsoleRouterOptions } from './serve.js';
