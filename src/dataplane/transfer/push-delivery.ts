/**
 * The JSON messages of a push (docs/format.md §6). `GET <sink>` answers a `SinkStatus`: where
 * the push stands. The delivery message ends a push: once the consumer holds the
 * verified container, the provider sends what the pull's DataAddress and endpoints would have
 * given — the container digest it announces, the key-release mode with the handover key
 * envelope (or, owner-held, the endpoint where each use asks for a one-time release), the
 * signed transform report of a transformed transfer — and where the consumer hands its signed
 * receipt (the provider's receipt endpoint and transfer token, as for a pull). The envelope and
 * report are only carried here: the consumer checks them exactly as when it fetches them.
 */
import { z } from 'zod';
import { fail, ok, type Result } from '../../errors/index.js';

const url = z.string().max(2048).regex(/^https?:\/\//);

export const pushDeliverySchema = z.strictObject({
  type: z.literal('SovPushDelivery'),
  /** The provider's transfer process id (its providerPid). */
  transferId: z.string().min(1).max(1024),
  agreementId: z.string().min(1).max(1024),
  containerDigest: z.string().regex(/^blake2b-256:[0-9a-f]{64}$/),
  keyRelease: z.enum(['handover', 'owner-held']),
  envelope: z.record(z.string(), z.unknown()).optional(),
  keyReleaseEndpoint: url.optional(),
  report: z.record(z.string(), z.unknown()).optional(),
  receiptEndpoint: url,
  token: z.string().min(1).max(4096),
});

export type PushDelivery = z.infer<typeof pushDeliverySchema>;

export function readPushDelivery(body: unknown): Result<PushDelivery> {
  const parsed = pushDeliverySchema.safeParse(body);
  if (!parsed.success) {
    return fail('SOV_DATAPLANE_DELIVERY_INVALID', `push delivery: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`).join('; ')}`);
  }
  const d = parsed.data;
  if ((d.keyRelease === 'handover') !== (d.envelope !== undefined) || (d.keyRelease === 'owner-held') !== (d.keyReleaseEndpoint !== undefined)) {
    return fail('SOV_DATAPLANE_DELIVERY_INVALID', 'a handover delivery carries the key envelope, an owner-held one the key-release endpoint, and never both');
  }
  return ok(d);
}

/** Where a push stands: `fromChunk` null = send the whole container (the sink holds not even its header). */
export interface SinkStatus {
  state: 'open' | 'stored' | 'received';
  fromChunk: number | null;
}

/** A sink's status answer, as the provider reads it. */
export function readSinkStatus(body: unknown, sinkEndpoint: string): Result<SinkStatus> {
  const { state, fromChunk } = (typeof body === 'object' && body !== null ? body : {}) as Partial<SinkStatus>;
  const known = (state === 'open' || state === 'stored' || state === 'received') && (fromChunk === null || (Number.isSafeInteger(fromChunk) && (fromChunk as number) >= 0));
  return known ? ok({ state, fromChunk: fromChunk as number | null }) : fail('SOV_DATAPLANE_PEER_REFUSED', `the sink ${sinkEndpoint} answered a status we do not understand`);
}
