/**
 * What each side does once a transfer message has moved the state (the table's effects):
 * the provider drives its data plane and sends the start message; the consumer keeps the data
 * address it is given. Both keep who suspended or terminated, with the code and reasons.
 */
import { isoTime } from '../clock/index.js';
import { transferStartMessage, type DataAddress, type TransferStartMessage } from '../dsp/index.js';
import { fail, ok, type Result } from '../errors/index.js';
import type { TransferProcess } from './entity.js';
import type { DataPlaneControl, TransferDeps } from './ports.js';
import type { TransferEffectContext, TransferEffectHandlers } from './receive.js';
import { enqueue, pidsOf } from './records.js';
import { isPushFormat } from './table.js';

function dataPlaneOf(deps: TransferDeps): DataPlaneControl {
  if (!deps.dataPlane) throw new Error('a provider-side transfer needs deps.dataPlane');
  return deps.dataPlane;
}

/** Starts the data plane; for pull, the resulting source address goes in the start message. */
export async function startDataPlane(deps: TransferDeps, record: TransferProcess): Promise<Result<DataAddress | undefined>> {
  const started = await dataPlaneOf(deps).start(record);
  if (!started.ok) return started;
  if (!isPushFormat(record.format) && !started.value) {
    return fail('SOV_TRANSFER_DATA_PLANE_FAILED', `The data plane gave no source address for pull transfer ${record.id}`, { transfer: record.id });
  }
  return ok(started.value);
}

/** Queues a TransferStartMessage (with the pull address), from REQUESTED or SUSPENDED. */
export async function sendStart(deps: TransferDeps, record: TransferProcess, outbox: TransferEffectContext['outbox']): Promise<Result<void>> {
  const address = await startDataPlane(deps, record);
  if (!address.ok) return address;
  if (address.value) record.dataAddress = address.value;
  const body = transferStartMessage({ ...pidsOf(record), ...(address.value ? { dataAddress: address.value } : {}) });
  enqueue(deps, record, outbox, 'TransferStartMessage', body);
  return ok(undefined);
}

function event(ctx: TransferEffectContext) {
  const { code, reason } = ctx.body as { code?: string; reason?: unknown[] };
  return { by: ctx.sender, code, reason, at: isoTime(ctx.deps.clock) };
}

const keepSuspension = async (ctx: TransferEffectContext): Promise<Result<void>> => {
  ctx.record.suspension = event(ctx);
  return ok(undefined);
};

const keepTermination = async (ctx: TransferEffectContext): Promise<Result<void>> => {
  ctx.record.termination = event(ctx);
  ctx.record.pending = undefined;
  return ok(undefined);
};

const stopping = (why: 'suspended' | 'completed' | 'terminated', keep?: (ctx: TransferEffectContext) => Promise<Result<void>>) =>
  async (ctx: TransferEffectContext): Promise<Result<void>> => {
    await dataPlaneOf(ctx.deps).stop(ctx.record, why);
    return keep ? keep(ctx) : ok(undefined);
  };

export const providerTransferEffects: TransferEffectHandlers = {
  requested: (ctx) => sendStart(ctx.deps, ctx.record, ctx.outbox),
  // The consumer resumed a suspended transfer: re-enable the data plane, nothing to send back.
  started: async (ctx) => {
    const resumed = await startDataPlane(ctx.deps, ctx.record);
    return resumed.ok ? ok(undefined) : resumed;
  },
  suspended: stopping('suspended', keepSuspension),
  completed: stopping('completed'),
  terminated: stopping('terminated', keepTermination),
};

export const consumerTransferEffects: TransferEffectHandlers = {
  // dsp.md §6: for pull the provider's start MUST carry the dataAddress (a resume may reuse the one we hold).
  started: async (ctx) => {
    const { dataAddress } = ctx.body as unknown as TransferStartMessage;
    if (dataAddress) ctx.record.dataAddress = dataAddress;
    if (!isPushFormat(ctx.record.format) && !ctx.record.dataAddress) {
      return fail('SOV_TRANSFER_DATA_ADDRESS_REQUIRED', `A pull transfer (${ctx.record.format}) must be started with a dataAddress`, {
        format: ctx.record.format,
      });
    }
    return ok(undefined);
  },
  suspended: keepSuspension,
  completed: async () => ok(undefined),
  terminated: keepTermination,
};
