/**
 * The signed anonymisation report a duty transform made for one transfer (issue 8 "a signed
 * report that travels with the data"), handed to the consumer that pulls it: the call is
 * authorised exactly like the container and the envelope (our transfer token for this transfer
 * and caller, transfer active, agreement standing), so the report reaches only the recipient
 * of the data it describes. The consumer verifies it itself; we only serve what we signed.
 */
import { fail, ok, type Result } from '../../errors/index.js';
import type { ProviderDeps } from './provider-deps.js';
import { authorizeCall, type DataPlaneCall } from './provider-serve.js';

export async function serveTransformReport(deps: ProviderDeps, call: DataPlaneCall): Promise<Result<unknown>> {
  const record = await authorizeCall(deps, call);
  if (!record.ok) return record;
  if (record.value.transformReport === undefined) {
    return fail('SOV_ANON_REPORT_NOT_FOUND', `transfer ${call.transferId} sends the dataset as stored: no duty transformed it, so there is no report`);
  }
  return ok(record.value.transformReport);
}
