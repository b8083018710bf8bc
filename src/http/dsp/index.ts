/**
 * The Dataspace Protocol 2025-1 HTTPS binding (dsp.md §2, §4): version discovery at the
 * connector root (unauthenticated), and under the DSP base the catalogue, contract negotiation
 * and transfer process endpoints of both sides. Every process route checks the caller's
 * token and membership, validates the body against its DSP schema before the protocol handler
 * sees it, answers 201 for a created process, 400 + the `*Error` body for an invalid
 * transition or message, and 404 for an unknown process or one the caller may not see. The
 * routes hold no protocol logic: they call the handlers of src/negotiation and src/transfer
 * and the catalogue service the composition root provides. `createPeerTransport` is the
 * keep-alive HTTP transport of the calls this connector makes to its peers.
 */
export { versionRoutes, DSP_VERSION_PATH } from './version-routes.js';
export { catalogRoutes, type CatalogService, type CatalogPageRequest, type CatalogRoutesOptions } from './catalog-routes.js';
export { negotiationRoutes, type NegotiationRoutesOptions } from './negotiation-routes.js';
export type { AuthenticateDspCaller } from './pipeline.js';
export { transferRoutes, type TransferRoutesOptions } from './transfer-routes.js';
export { createPeerTransport, type PeerTransport, type PeerTransportOptions } from './peer-fetch.js';
