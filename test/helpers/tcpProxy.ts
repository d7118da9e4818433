/**
 * A small TCP proxy (node:net) on a free loopback port, for simulating a
 * database outage without touching the shared server: the bot instances under
 * test connect through it, and down() makes it look as if the server had gone
 * away (every open connection is cut, new ones are refused) while everyone
 * else using the server carries on. up() accepts connections again on the same
 * port.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  /** The loopback port it listens on (the same after down() and up()). */
  readonly port: number;
  /** Connections accepted since it started. */
  readonly accepted: number;
  /** Connections open through it now. */
  readonly open: number;
  /** Connections cut by down(). */
  readonly cut: number;
  readonly isUp: boolean;
  /** The outage: stops listening (connecting gets ECONNREFUSED, as from a stopped server) and destroys every open connection. */
  down(): Promise<void>;
  /** The end of the outage: listens on the same port again. Does nothing if it is up. */
  up(): Promise<void>;
  /** Cuts everything and stops for good. */
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts a proxy to target on 127.0.0.1, on `port` or a free port. */
export async function startTcpProxy(target: { host: string; port: number }, port = 0): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  let accepted = 0;
  let cut = 0;
  let server: Server | undefined;
  let listenPort = port;

  const onConnection = (client: Socket) => {
    accepted++;
    const upstream = connect(target.port, target.host);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const done = () => {
      if (!pairs.delete(pair)) return;
      client.destroy();
      upstream.destroy();
    };
    for (const s of pair) {
      s.setNoDelay(true);
      s.on('error', done);
      s.on('close', done);
    }
    client.pipe(upstream);
    upstream.pipe(client);
  };

  const listen = async (): Promise<void> => {
    // After down() the port is normally free at once; retry briefly in case the kernel is still releasing it.
    for (let attempt = 0; ; attempt++) {
      const s = createServer(onConnection);
      try {
        await new Promise<void>((resolve, reject) => {
          s.once('error', reject);
          s.listen(listenPort, '127.0.0.1', () => {
            s.off('error', reject);
            resolve();
          });
        });
        server = s;
        listenPort = (s.address() as { port: number }).port;
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 50) throw new Error(`the TCP proxy could not listen on 127.0.0.1:${listenPort}: ${(err as Error).message}`, { cause: err });
        await sleep(100);
      }
    }
  };

  const cutAll = async () => {
    const s = server;
    server = undefined;
    const closed = s ? new Promise<void>((resolve) => s.close(() => resolve())) : Promise.resolve();
    for (const pair of [...pairs]) {
      cut++;
      pairs.delete(pair);
      for (const sock of pair) sock.destroy();
    }
    await closed;
  };

  await listen();
  return {
    get port() {
      return listenPort;
    },
    get accepted() {
      return accepted;
    },
    get open() {
      return pairs.size;
    },
    get cut() {
      return cut;
    },
    get isUp() {
      return !!server;
    },
    down: cutAll,
    up: async () => {
      if (!server) await listen();
    },
    close: cutAll,
  };
}
