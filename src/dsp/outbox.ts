/**
 * Outbound messages are never sent from a handler: the handler returns them as outbox entries
 * that the repository stores in the same transaction as the state change (conventions §5), and
 * a worker delivers them with retries. On a 2xx the worker calls the protocol's
 * `confirmDelivery`, which applies the sender-side transition (a DSP state changes when the
 * counterparty acknowledges, dsp.md §5).
 */
export interface OutboxEntry {
  /** Unique id (IdGenerator); also the idempotency key the worker uses. */
  id: string;
  process: 'negotiation' | 'transfer';
  /** Our own process id (our `providerPid` or `consumerPid`). */
  localPid: string;
  /** The message kind, as the protocol's transition table names it. */
  message: string;
  /** Absolute URL to POST to: the counterparty's base or callback plus the DSP path. */
  url: string;
  /** Counterparty DID: the audience of the connector-to-connector token. */
  recipient: string;
  body: Record<string, unknown>;
  createdAt: string;
}

/**
 * The outbox entry whose acknowledgement a commit records (the sender-side transition on a
 * 2xx): the store marks it delivered in the same transaction as the state change, so the
 * acknowledged state and the settled entry are stored together and the worker has nothing
 * left to write for it.
 */
export interface AcknowledgedEntry {
  outboxId: string;
  /** Epoch ms: when the acknowledgement was recorded (the entry's settled time). */
  at: number;
}

/** What `confirmDelivery` did: the record as it now stands, and whether it settled the entry. */
export interface DeliveryConfirmation<R> {
  record: R | undefined;
  /** True when the commit recording the acknowledgement also marked the entry delivered. */
  delivered: boolean;
}

/**
 * Joins a DSP base (or callbackAddress) and a path, whether or not the base ends in `/`
 * (dsp.md §3: "Resolve it whether or not it has a trailing /").
 */
export function dspUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
