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
 * Joins a DSP base (or callbackAddress) and a path, whether or not the base ends in `/`
 * (dsp.md §3: "Resolve it whether or not it has a trailing /").
 */
export function dspUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
