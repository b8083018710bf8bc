/**
 * The shared Dataspace Protocol 2025-1 message layer, transport-free: the context constants,
 * our JSON Schemas for every message, ACK and error type with `validateDspMessage`, builders
 * for every outbound body (both sides) and the version discovery document, the generic
 * transition engine the negotiation and transfer tables run on, the outbox entry type and a
 * stable JSON digest. HTTP routes, negotiation, transfer and catalogue all build on it.
 */
export * from './context.js';
export type * from './types.js';
export type { VerifiedCaller } from './caller.js';
export { prepareDspValidation, validateDspMessage, type DspProblem } from './validate.js';
export { DSP_MESSAGE_TYPES } from './schemas/index.js';
export { transition, type TransitionRule, type TransitionTable, type TransitionResult, type FromStates } from './transition.js';
export { jsonDigest, stableJson } from './digest.js';
export { dspUrl, type AcknowledgedEntry, type DeliveryConfirmation, type OutboxEntry } from './outbox.js';
export * from './builders/negotiation.js';
export * from './builders/transfer.js';
export * from './builders/catalog.js';
export { versionResponse, type VersionDocumentInput } from './builders/version.js';
export type { CodeAndReason } from './builders/shared.js';
export { planInbound, planInboundMessage, counterpartyOf, type ProcessRecord, type InboundMessage, type InboundPlan } from './inbound.js';
export { locateProcess, processForCaller, type LocatableRecord, type LocateRules } from './locate.js';
