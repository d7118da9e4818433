/**
 * PostgreSQL for tests: the local server (started with pg_ctlcluster if it is
 * down, as .ci/run does), a fresh schema per run that is dropped afterwards,
 * and stop/start for the outage test.
 *
 * TEST_DATABASE_URL overrides the default postgres://postgres@127.0.0.1:5432/test.
 */
import { Client } from 'pg';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Schemas this helper creates: pa_test_<pid>_<random>, so stale ones from a killed run can be found. */
const SCHEMA_PREFIX = 'pa_test_';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The URL without its password, for messages. */
function shown(url: string): string {
  return url.replace(/(\/\/[^:/@]+):[^@]*@/, '$1:***@');
}

function clusterVersion(): string {
  try {
    const versions = readdirSync('/etc/postgresql').filter((v) => /^\d+$/.test(v));
    return versions.sort((a, b) => Number(a) - Number(b)).at(-1) ?? '15';
  } catch {
    return '15';
  }
}

/** pg_ctlcluster for the local cluster ("main"), as .ci/run calls it. */
export function pgCtl(action: 'start' | 'stop'): { ok: boolean; command: string; output: string } {
  const args = ['--skip-systemctl-redirect', clusterVersion(), 'main', action, ...(action === 'stop' ? ['-m', 'fast'] : [])];
  const r = spawnSync('pg_ctlcluster', args, { encoding: 'utf8', timeout: 60_000 });
  return { ok: r.status === 0, command: `pg_ctlcluster ${args.join(' ')}`, output: `${r.error?.message ?? ''}${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
}

/** Undefined when a connection succeeds; otherwise why not. */
export async function unreachable(url = TEST_DATABASE_URL): Promise<string | undefined> {
  const c = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  c.on('error', () => undefined);
  try {
    await c.connect();
    await c.query('SELECT 1');
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message || err.name : String(err);
  } finally {
    await Promise.race([c.end().catch(() => undefined), sleep(1000)]);
  }
}

async function waitReachable(ms: number): Promise<string | undefined> {
  const t0 = Date.now();
  let why = await unreachable();
  while (why && Date.now() - t0 < ms) {
    await sleep(250);
    why = await unreachable();
  }
  return why;
}

/** Makes sure the test database answers: starts the local cluster if it does not, or fails saying what to do. */
export async function ensurePostgres(): Promise<void> {
  const why = await unreachable();
  if (!why) return;
  const started = pgCtl('start');
  const still = await waitReachable(20_000);
  if (still) {
    throw new Error(
      `PostgreSQL is not reachable at ${shown(TEST_DATABASE_URL)} (${still}), and "${started.command}" did not help` +
        `${started.output ? ` (${started.output})` : ''}. These tests need PostgreSQL 15 on 127.0.0.1:5432 with trust auth and a database "test"; ` +
        'start it, or point TEST_DATABASE_URL at another server.',
    );
  }
}

export async function stopPostgres(): Promise<void> {
  const r = pgCtl('stop');
  if (!r.ok) throw new Error(`could not stop PostgreSQL: ${r.command}: ${r.output}`);
}

/** Starts the cluster (if it is not running) and waits until it answers. */
export async function startPostgres(): Promise<void> {
  const r = pgCtl('start');
  const why = await waitReachable(30_000);
  if (why) throw new Error(`PostgreSQL did not come back: ${r.command}: ${r.output}; ${why}`);
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
