/**
 * The provider's data plane as one object: the `DataPlaneControl` the DSP transfer process
 * drives, and the operations behind its HTTP endpoints (container, envelope, anonymisation
 * report, receipt, key release), the push to a consumer's sink and the owner's revocation command.
 */
import type { Result } from '../../errors/index.js';
import type { DataPlaneControl } from '../../transfer/index.js';
import type { KeyEnvelope } from '../envelope/schema.js';
import { releaseKey, type KeyReleaseRequest } from './key-release.js';
import type { ProviderDeps } from './provider-deps.js';
import { pushTransfer } from './provider-push.js';
import { acceptReceipt, serveContainer, serveEnvelope, type DataPlaneCall } from './provider-serve.js';
import { serveTransformReport } from './provider-report.js';
import { createProviderControl } from './provider-start.js';
import type { OutboundTransfer } from './ports.js';
import { revokeAgreement } from './revoke.js';

export interface ProviderDataPlane {
  readonly control: DataPlaneControl;
  container(call: DataPlaneCall, fromChunk: number | undefined): Promise<Result<AsyncIterable<Uint8Array>>>;
  envelope(call: DataPlaneCall): Promise<Result<KeyEnvelope>>;
  /** The signed anonymisation report of a transformed transfer (same token check as the envelope). */
  report(call: DataPlaneCall): Promise<Result<unknown>>;
  receipt(call: DataPlaneCall, receipt: unknown): Promise<Result<OutboundTransfer>>;
  releaseKey(callerDid: string, request: KeyReleaseRequest): Promise<Result<KeyEnvelope>>;
  revokeAgreement(input: { agreementId: string; reason: string; actor?: string }): Promise<Result<{ revokedAt: string }>>;
  /** Pushes a STARTED push transfer to the consumer's sink (resuming what arrived); the record once the consumer kept the data. */
  push(transferId: string): Promise<Result<OutboundTransfer>>;
  outbound(transferId: string): Promise<OutboundTransfer | undefined>;
}

export function createProviderDataPlane(deps: ProviderDeps): ProviderDataPlane {
  return {
    control: createProviderControl(deps),
    container: (call, fromChunk) => serveContainer(deps, call, fromChunk),
    envelope: (call) => serveEnvelope(deps, call),
    report: (call) => serveTransformReport(deps, call),
    receipt: (call, receipt) => acceptReceipt(deps, call, receipt),
    releaseKey: (callerDid, request) => releaseKey(deps, callerDid, request),
    revokeAgreement: (input) => revokeAgreement(deps, input),
    push: (transferId) => pushTransfer(deps, transferId),
    outbound: (transferId) => deps.records.get(transferId),
  };
}
