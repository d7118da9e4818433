/**
 * Crash safety: proves that an update the bot acknowledged ("Saved.") is on
 * disk, once, however the process dies, and that a client retrying an
 * unacknowledged card (same form id) never creates a duplicate.
 *
 * The real bot process runs on a temporary DATA_DIR while 20 users submit
 * cards in a loop. It is SIGKILLed 5 times at random moments 300-800 ms
 * apart and restarted each time on the same port and data directory. A
 * submission whose request failed (connection refused or reset, or an answer
 * other than "Saved." / "already received") is retried after the restart
 * with the same form id, as Teams would. At the end the database must hold
 * every acknowledged form exactly once, no idempotency key twice, nothing it
 * was never sent, and one audit row per submission; the SQLite file must also
 * pass SQLite's integrity check.
 *
 * It runs twice: on the SQLite file, and on PostgreSQL (DATABASE_URL, a
 * schema of its own), where the killed process's open transactions are rolled
 * back by the server.
 *
 * (A dialog interrupted by a restart resuming is in updates-http.test.ts.)
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { freePort, startBotProcess, type BotProcess } from './helpers/process';
import { TestConversation } from './helpers/server';
import { mulberry32 } from './helpers/fuzz';
import { openDatabase } from '../storage/sqlite';
import { ensurePostgres, newSchema, sql, TEST_DATABASE_URL, type TestSchema } from './helpers/postgres';

const LOOPS = 20;
const KILLS = 5;
const SEED = Number(process.env.CRASH_SEED ?? 424_242);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function form(formId: string, n: number): Record<string, unknown> {
  return { action: 'confirmUpdateForm', formId, itemId: 'cy-p1-self-harm', value: String(30 + (n % 20)), period: 'Q3 2017/18', status: 'on track', narrative: `Clinics are running in ${n} schools now.` };
}

interface Stored {
  /** Rows per (submitter, idempotency key). */
  rows: { k: string; n: number }[];
  audited: number;
  /** SQLite's integrity check; PostgreSQL keeps its own. */
  integrity: string;
}

interface Backend {
  name: string;
  env(dataDir: string): Promise<Record<string, string>>;
  read(dataDir: string): Promise<Stored>;
  cleanUp(): Promise<void>;
}

const sqliteBackend = (): Backend => ({
  name: 'SQLite',
  env: async (dataDir) => ({ DATA_DIR: dataDir }),
  async read(dataDir) {
    const db = openDatabase(dataDir);
    try {
      return {
        rows: db.prepare('SELECT idempotency_key AS k, COUNT(*) AS n FROM submissions GROUP BY submitter_id, idempotency_key').all() as { k: string; n: number }[],
        audited: (db.prepare("SELECT COUNT(*) AS n FROM audit WHERE action = 'submit'").get() as { n: number }).n,
        integrity: (db.pragma('integrity_check') as { integrity_check: string }[])[0].integrity_check,
      };
    } finally {
      db.close();
    }
  },
  cleanUp: async () => undefined,
});

function postgresBackend(): Backend {
  let schema: TestSchema | undefined;
  return {
    name: 'PostgreSQL',
    async env(dataDir) {
      await ensurePostgres();
      schema = newSchema();
      return { DATA_DIR: dataDir, DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema.schema };
    },
    async read() {
      const rows = await sql<{ k: string; n: number }>('SELECT idempotency_key AS k, COUNT(*)::int AS n FROM submissions GROUP BY submitter_id, idempotency_key', [], schema!.schema);
      const [{ n }] = await sql<{ n: number }>("SELECT COUNT(*)::int AS n FROM audit WHERE action = 'submit'", [], schema!.schema);
      return { rows, audited: n, integrity: 'ok' };
    },
    cleanUp: async () => schema?.drop(),
  };
}

for (const backend of [sqliteBackend(), postgresBackend()]) describe(`crash safety: SIGKILL while users submit updates (${backend.name})`, function () {
  this.timeout(180_000);
  let dataDir: string;
  let bot: BotProcess | undefined;

  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'plan-crash-'));
  });
  after(async () => {
    await bot?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    await backend.cleanUp();
  });

  it(`keeps every acknowledged update exactly once through ${KILLS} kills, and client retries create no duplicates`, async () => {
    const env = { ...(await backend.env(dataDir)), RATE_LIMIT_BURST: '10000', RATE_LIMIT_PER_MINUTE: '100000' };
    const port = await freePort();
    bot = await startBotProcess(env, port);
    const base = bot.base;
    const random = mulberry32(SEED);

    const acknowledged = new Map<string, 'saved' | 'already'>();
    const sent = new Set<string>();
    let retried = 0;
    let foundAfterRetry = 0;
    let failedAttempts = 0;
    let running = true;

    /** One user: submits a card, and until it is acknowledged, the same card again. */
    async function loop(u: number) {
      const c = new TestConversation(base, { id: `crash-user-${u}`, name: `Lead ${u}`, aadObjectId: randomUUID() });
      for (let n = 0; running; n++) {
        const formId = randomUUID();
        sent.add(formId);
        for (let attempt = 1; ; attempt++) {
          let text = '';
          try {
            const res = await fetch(base + '/api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(c.activity({ value: form(formId, n) })), signal: AbortSignal.timeout(15_000) });
            const body = await res.text();
            if (res.status === 200) text = body;
          } catch {
            /* killed mid-request, or not listening yet: retry below */
          }
          if (text.includes('Saved.') || text.includes('already received')) {
            acknowledged.set(formId, text.includes('Saved.') ? 'saved' : 'already');
            if (attempt > 1) {
              retried++;
              if (text.includes('already received')) foundAfterRetry++;
            }
            break;
          }
          failedAttempts++;
          await sleep(Math.min(500, 50 * attempt) + Math.floor(random() * 50));
        }
      }
    }

    const t0 = performance.now();
    const loops = Array.from({ length: LOOPS }, (_, u) => loop(u));
    const gaps: number[] = [];
    for (let k = 0; k < KILLS; k++) {
      const gap = 300 + Math.floor(random() * 500);
      gaps.push(gap);
      await sleep(gap);
      await bot.kill('SIGKILL');
      bot = await startBotProcess(env, port);
    }
    await sleep(500);
    running = false;
    await Promise.all(loops);
    const seconds = (performance.now() - t0) / 1000;
    await bot.kill('SIGTERM');
    bot = undefined;

    const { rows, audited, integrity } = await backend.read(dataDir);
    const acked = [...acknowledged.keys()];
    // Keys are "form:<conversation>:<form id>" (updates/service.ts idempotencyKey): count by the form id.
    const formIdOf = (k: string) => k.replace(/^form:[^:]*:/, '');
    const byForm = new Map(rows.map((r) => [formIdOf(r.k), r.n]));
    const lost = acked.filter((f) => !byForm.has(f));
    const duplicates = rows.filter((r) => r.n > 1);
    const strangers = rows.filter((r) => !sent.has(formIdOf(r.k)));
    const storedAcked = acked.filter((f) => byForm.get(f) === 1).length;

    console.log(`      crash-safety (${backend.name}): ${acked.length} acknowledged, ${storedAcked} stored, ${lost.length} lost, ${duplicates.length} duplicates, ${KILLS} kills (${gaps.join(', ')} ms apart), ${seconds.toFixed(1)} s`);
    console.log(`      crash-safety (${backend.name}): ${failedAttempts} failed attempts retried; ${retried} forms needed a retry, ${foundAfterRetry} of them had been saved before the kill ("already received"); ${audited} audit rows for ${rows.length} submissions; integrity_check ${integrity}`);

    expect(acked.length, 'every form sent was acknowledged in the end').to.equal(sent.size);
    expect(lost, 'acknowledged but not stored').to.deep.equal([]);
    expect(duplicates, 'idempotency keys stored twice').to.deep.equal([]);
    expect(strangers, 'rows nobody sent').to.deep.equal([]);
    expect(storedAcked).to.equal(acked.length);
    expect(integrity).to.equal('ok');
    expect(audited, 'one audit row per submission').to.equal(rows.length);
    expect(retried, 'the kills interrupted some submissions').to.be.greaterThan(0);
  });
});
