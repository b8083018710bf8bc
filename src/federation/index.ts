/**
 * The local coalition for `npm start`: every partner's national registrar and connector on
 * loopback, trust lists naming the coalition's registrars, and each connector accredited by
 * its own nation's registrar. Idempotent across runs.
 */
export { startFederation, type Federation, type FederationMember, type FederationOptions } from './start-federation.js';
export { hostRegistrar, registrarBaseUrl, type HostedRegistrar } from './national-registrar.js';
export { ensureMembership } from './membership.js';
export { readTrustDir } from './trust-dir.js';
