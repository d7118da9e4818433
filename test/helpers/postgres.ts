/**
 * PostgreSQL for tests: the local server, a fresh schema per run that is
 * dropped afterwards. The tests never start or stop the server (others may be
 * using it: .ci/run starts it before the suite); when it cannot be reached
 * they fail at once, saying what is missing. The outage test cuts its own
 * bot instances off through a TCP proxy (tcpProxy.ts) instead.
 *
 * TEST_DATABASE_URL overrides the default postgres://postgres@127.0.0.1:5432/test.
 */
import { Client } from 'pg';
import { randomBytes } from 'node:crypto';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Schemas this helper creates: pa_test_<pid>_<random>, so stale ones from a killed run can be found. */
const SCHEMA_PREFIX = 'pa_test_';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The URL without its password, for messages. */
function shown(url: string): string {
  return url.replace(/(\/\/[^:/@]+):[^@]*@/, '$1:***@');
}

/** Host and port of the test database's server (for the proxy the outage test puts in front of it). */
export function serverAddress(url = TEST_DATABASE_URL): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname || '127.0.0.1', port: Number(u.port || 5432) };
}

/** The test database's URL, reached through 127.0.0.1:`port` instead (a proxy). */
export function urlVia(port: number, url = TEST_DATABASE_URL): string {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  u.port = String(port);
  return u.toString();
}

/** Undefined when a connection succeeds; otherwise why not, as the error says it, with its code. */
export async function unreachable(url = TEST_DATABASE_URL): Promise<{ message: string; code?: string } | undefined> {
  const c = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  c.on('error', () => undefined);
  try {
    await c.connect();
    await c.query('SELECT 1');
    return undefined;
  } catch (err) {
    const e = err as Error & { code?: string; errors?: Error[] };
    // A refused connection to "localhost" is an AggregateError (IPv6 and IPv4) with an empty message.
    const message = e.message || e.errors?.map((x) => x.message).join('; ') || e.name || String(err);
    return { message, code: e.code };
  } finally {
    await Promise.race([c.end().catch(() => undefined), sleep(1000)]);
  }
}

/** What to do about a failed connection, by its cause. */
function remedy(code: string | undefined, url: string): string {
  const { host, port } = serverAddress(url);
  const db = new URL(url).pathname.slice(1) || 'postgres';
  const user = decodeURIComponent(new URL(url).username) || 'postgres';
  switch (code) {
    case 'ECONNREFUSED':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENOTFOUND':
    case undefined:
      return `No PostgreSQL server answers on ${host}:${port}. Start it (on this project's machines: pg_ctlcluster --skip-systemctl-redirect <version> main start, as .ci/run does)`;
    case '3D000':
      return `The server is up but has no database "${db}". Create it: createdb -h ${host} -p ${port} -U ${user} ${db}`;
    case '28P01':
    case '28000':
      return `The server refused user "${user}". The tests expect trust authentication for local TCP connections (pg_hba.conf: host all all 127.0.0.1/32 trust), or a password in TEST_DATABASE_URL`;
    default:
      return `The server at ${host}:${port} did not accept the connection`;
  }
}

/**
 * Fails at once, saying what is missing, unless the test database answers.
 * The tests need a PostgreSQL server on 127.0.0.1:5432 with trust auth and a
 * database "test" (or TEST_DATABASE_URL); they do not start one.
 */
export async function ensurePostgres(url = TEST_DATABASE_URL): Promise<void> {
  const why = await unreachable(url);
  if (!why) return;
  throw new Error(
    `PostgreSQL tests cannot run: ${shown(url)} is not reachable (${why.message}${why.code ? `, ${why.code}` : ''}). ${remedy(why.code, url)}. ` +
      'These tests need PostgreSQL on 127.0.0.1:5432 with trust authentication and a database "test"; set TEST_DATABASE_URL to use another server.',
  );
}

/** Runs one statement on a fresh connection. */
export async function sql<R extends Record<string, unknown> = Record<string, unknown>>(text: string, params: unknown[] = [], schema?: string): Promise<R[]> {
  const c = new Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 5000, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  c.on('error', () => undefined);
  await c.connect();
  try {
    return (await c.query<R>(text, params)).rows;
  } finally {
    await c.end().catch(() => undefined);
  }
}

export interface TestSchema {
  schema: string;
  drop(): Promise<void>;
}

/** A schema name of our own (created by the bot's migrations), dropped by drop(). */
export function newSchema(): TestSchema {
  const schema = `${SCHEMA_PREFIX}${process.pid}_${randomBytes(4).toString('hex')}`;
  return {
    schema,
    drop: async () => {
      await sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    },
  };
}

/** Drops schemas left by test runs whose process is gone (a killed run cannot clean up after itself). */
export async function dropStaleSchemas(): Promise<void> {
  const rows = await sql<{ nspname: string }>('SELECT nspname FROM pg_namespace WHERE nspname LIKE $1', [`${SCHEMA_PREFIX}%`]);
  for (const { nspname } of rows) {
    const pid = Number(/^pa_test_(\d+)_/.exec(nspname)?.[1]);
    if (!pid || pid === process.pid || alive(pid)) continue;
    await sql(`DROP SCHEMA IF EXISTS "${nspname}" CASCADE`).catch(() => undefined);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
