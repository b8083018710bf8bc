/**
 * A recording TCP proxy on loopback: forwards every connection to `targetPort` and keeps every
 * byte either way, so a test can search the wire for what must never be on it. `cutAfter(n)`
 * breaks the connection that carries the n-th byte from the server from now on, as a network
 * cut would, to exercise resume; `holdAfter(n)` stalls that connection instead (bytes stop
 * flowing, the socket stays open), as a stalled network would, until the client gives up.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface RecordingProxy {
  url: string;
  /** Every byte seen so far, both directions, in order of arrival per direction. */
  captured(): Buffer;
  /** Breaks the server→client stream once `bytes` more bytes have passed it. */
  /** Cuts once `bytes[0]` more bytes have passed, then (counting afresh) after `bytes[1]`, and so on. */
  cutAfter(...bytes: number[]): void;
  /** Stalls the server→client stream once `bytes` more bytes have passed; resolves when it stalls. */
  holdAfter(bytes: number): Promise<void>;
  /** Number of connections cut so far. */
  readonly cuts: number;
  close(): Promise<void>;
}

export async function startRecordingProxy(targetPort: number): Promise<RecordingProxy> {
  const chunks: Buffer[] = [];
  const sockets = new Set<Socket>();
  const cut = { remaining: Number.POSITIVE_INFINITY, count: 0, next: [] as number[] };
  const hold = { remaining: Number.POSITIVE_INFINITY, held: (): void => undefined };
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.on('data', (data: Buffer) => chunks.push(Buffer.from(data)));
    upstream.on('data', (data: Buffer) => {
      chunks.push(Buffer.from(data));
      cut.remaining -= data.length;
      if (cut.remaining <= 0) {
        cut.remaining = cut.next.shift() ?? Number.POSITIVE_INFINITY;
        cut.count += 1;
        client.destroy();
        upstream.destroy();
      }
      hold.remaining -= data.length;
      if (hold.remaining <= 0) {
        // This piece still reaches the client (the pipe's listener runs after ours); nothing more does.
        hold.remaining = Number.POSITIVE_INFINITY;
        upstream.unpipe(client);
        upstream.pause();
        hold.held();
      }
    });
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    captured: () => Buffer.concat(chunks),
    cutAfter(...bytes) {
      cut.remaining = bytes[0] ?? Number.POSITIVE_INFINITY;
      cut.next = bytes.slice(1);
    },
    holdAfter(bytes) {
      hold.remaining = bytes;
      return new Promise<void>((resolve) => (hold.held = resolve));
    },
    get cuts() {
      return cut.count;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
