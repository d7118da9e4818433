/**
 * The PostgreSQL test helpers themselves: a clear failure naming what is
 * missing when the server cannot be reached, and the TCP proxy the outage
 * test uses instead of stopping the shared server.
 */
import { rejection } from './helpers/assertions';
import { expect } from 'chai';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { Client } from 'pg';
import { ensurePostgres, serverAddress, TEST_DATABASE_URL, urlVia } from './helpers/postgres';
import { startTcpProxy, type TcpProxy } from './helpers/tcpProxy';
import { freePort } from './helpers/process';

/** Connects, sends `text`, resolves with what comes back (or the error). */
function roundTrip(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    let got = '';
    s.on('connect', () => s.write(text));
    s.on('data', (d) => {
      got += d;
      if (got.length >= text.length) {
        s.end();
        resolve(got);
      }
    });
    s.on('error', (e: NodeJS.ErrnoException) => resolve(`error ${e.code}`));
  });
}

describe('PostgreSQL test helpers', () => {
  it('ensurePostgres fails at once with what is missing: no server on that port', async () => {
    const port = await freePort();
    const t0 = Date.now();
    const e = await rejection(ensurePostgres(`postgres://postgres@127.0.0.1:${port}/test`));
    expect(Date.now() - t0).to.be.below(5000);
    expect(e.message)
      .to.include(`postgres://postgres@127.0.0.1:${port}/test is not reachable`)
      .and.include('ECONNREFUSED')
      .and.include(`No PostgreSQL server answers on 127.0.0.1:${port}`)
      .and.include('PostgreSQL on 127.0.0.1:5432 with trust authentication and a database "test"')
      .and.include('TEST_DATABASE_URL');
  });

  it('ensurePostgres names a missing database, and hides a password', async () => {
    await ensurePostgres();
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = '/no_such_database_pa_test';
    url.password = 'secret-word';
    const e = await rejection(ensurePostgres(url.toString()));
    expect(e.message).to.include('has no database "no_such_database_pa_test"').and.include('3D000').and.not.include('secret-word');
  });

  describe('the TCP proxy', () => {
    let echo: Server;
    let echoPort: number;
    let proxy: TcpProxy | undefined;
    const sockets = new Set<Socket>();

    before(async () => {
      echo = createServer((s) => {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.pipe(s);
      });
      await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
      echoPort = (echo.address() as { port: number }).port;
    });
    after(async () => {
      await proxy?.close();
      for (const s of sockets) s.destroy();
      await new Promise((r) => echo.close(r));
    });

    it('passes traffic through; down() cuts open connections and refuses new ones; up() accepts again on the same port', async () => {
      proxy = await startTcpProxy({ host: '127.0.0.1', port: echoPort });
      const port = proxy.port;
      expect(await roundTrip(port, 'hello')).to.equal('hello');

      // A connection left open, cut by the outage.
      const open = connect(port, '127.0.0.1');
      await new Promise((r) => open.once('connect', r));
      const closed = new Promise((r) => open.once('close', r));
      await new Promise((r) => setTimeout(r, 50));
      expect(proxy.open).to.equal(1);
      await proxy.down();
      await closed;
      expect(proxy.cut).to.equal(1);
      expect(proxy.isUp).to.equal(false);
      expect(await roundTrip(port, 'anyone?')).to.equal('error ECONNREFUSED');
      // The server behind it was not touched.
      expect(await roundTrip(echoPort, 'still here')).to.equal('still here');

      await proxy.up();
      expect(proxy.port).to.equal(port);
      expect(await roundTrip(port, 'back')).to.equal('back');
      expect(proxy.accepted).to.equal(3);
    });

    it('carries a PostgreSQL connection (urlVia), which fails while it is down and works after', async () => {
      await ensurePostgres();
      const pgProxy = await startTcpProxy(serverAddress());
      try {
        const query = async () => {
          const c = new Client({ connectionString: urlVia(pgProxy.port), connectionTimeoutMillis: 3000 });
          c.on('error', () => undefined);
          try {
            await c.connect();
            return (await c.query<{ n: number }>('SELECT 1 AS n')).rows[0].n;
          } finally {
            await c.end().catch(() => undefined);
          }
        };
        expect(await query()).to.equal(1);
        await pgProxy.down();
        expect((await rejection(query())).message).to.match(/ECONNREFUSED/);
        await pgProxy.up();
        expect(await query()).to.equal(1);
      } finally {
        await pgProxy.close();
      }
    });
  });
});
