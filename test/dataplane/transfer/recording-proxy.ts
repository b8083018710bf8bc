/**
 * A recording TCP proxy on loopback: forwards every connection to `targetPort` and keeps every
 * byte either way, so a test can search the wire for what must never be on it. `cutAfter(n)`
 * breaks the connection that carries the n-th byte from the server from now on, as a network
 * cut would, to exercise resume; `cutRequestAfter(n)` does the same to the client→server
 * stream (a push's upload); `holdAfter(n)` stalls that connection instead (bytes stop
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
  /** Like `cutAfter`, counting the bytes from client to server (what a push uploads): the server gets exactly those before the cut, then the connection ends. */
  cutRequestAfter(...bytes: number[]): void;
  /**
   * Once `bytes` more bytes went from client to server, holds that stream (the upload stalls,
   * the socket stays open) while `act` runs, then lets it go on: something happens mid-upload.
   */
  pauseRequestAfter(bytes: number, act: () => Promise<unknown>): Promise<void>;
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
  const requestCut = { remaining: Number.POSITIVE_INFINITY, next: [] as number[] };
  const requestPause = { remaining: Number.POSITIVE_INFINITY, act: async (): Promise<unknown> => undefined, done: (): void => undefined };
  const hold = { remaining: Number.POSITIVE_INFINITY, held: (): void => undefined };
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    // Client→server bytes are forwarded here rather than piped, so a cut delivers exactly the
    // bytes before it (the server sees the upload end there, as after a real network cut).
    client.on('data', (data: Buffer) => {
      const cutHere = requestCut.remaining <= data.length;
      const piece = cutHere ? data.subarray(0, requestCut.remaining) : data;
      chunks.push(Buffer.from(piece));
      requestCut.remaining -= piece.length;
      if (!upstream.write(piece)) {
        client.pause();
        upstream.once('drain', () => client.resume());
      }
      if (cutHere) {
        requestCut.remaining = requestCut.next.shift() ?? Number.POSITIVE_INFINITY;
        cut.count += 1;
        client.destroy();
        upstream.end();
        return;
      }
      requestPause.remaining -= data.length;
      if (requestPause.remaining <= 0) {
        requestPause.remaining = Number.POSITIVE_INFINITY;
        client.pause();
        void requestPause.act().finally(() => {
          client.resume();
          requestPause.done();
        });
      }
    });
    client.on('end', () => upstream.end());
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
    cutRequestAfter(...bytes) {
      requestCut.remaining = bytes[0] ?? Number.POSITIVE_INFINITY;
      requestCut.next = bytes.slice(1);
    },
    pauseRequestAfter(bytes, act) {
      requestPause.remaining = bytes;
      requestPause.act = act;
      return new Promise<void>((resolve) => (requestPause.done = resolve));
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
