/**
 * Concurrency: proves that updates submitted at the same moment are each
 * stored exactly once, counted in the SQLite file itself.
 *
 * - 200 users (each with their own conversation and AAD id) submit the update
 *   form at once to the real server: 200 rows, one per form id.
 * - Users double-submit the same card (two identical posts in flight
 *   together): one row each, one reply "Saved.", the other "already received".
 * - The same double submissions split across two bot processes sharing one
 *   SQLite file, so the two posts really run at the same time: still one row
 *   each (the insert takes the write lock before looking for the key).
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { startTestServer, TestConversation, type TestServer } from './helpers/server';
import { startBotProcess, type BotProcess } from './helpers/process';
import { openDatabase, type Db } from '../storage/sqlite';

const USERS = 200;
const DOUBLES = 50;
const RATE = { RATE_LIMIT_BURST: '1000', RATE_LIMIT_PER_MINUTE: '100000' };

function form(formId: string): Record<string, unknown> {
  return { action: 'confirmUpdateForm', formId, itemId: 'cy-p1-self-harm', value: '40', period: 'Q3 2017/18', status: 'on track', narrative: 'SHARP clinics now run in twelve schools.' };
}

function user(i: number, prefix: string) {
  const aad = randomUUID();
  return { id: `${prefix}-${i}`, name: `Lead ${prefix} ${i}`, aadObjectId: aad };
}

/** Rows per idempotency key for the given form ids: stored (at least once), lost (none), duplicated (more than once). */
function tally(db: Db, formIds: string[]) {
  // Keys are "form:<conversation>:<form id>", unique per submitter (updates/service.ts idempotencyKey): counted by form id.
  const counts = new Map((db.prepare('SELECT idempotency_key AS k, COUNT(*) AS n FROM submissions GROUP BY submitter_id, idempotency_key').all() as { k: string; n: number }[]).map((r) => [r.k.replace(/^form:[^:]*:/, ''), r.n]));
  const per = formIds.map((f) => counts.get(f) ?? 0);
  return { stored: per.filter((n) => n >= 1).length, lost: per.filter((n) => n === 0).length, duplicates: per.filter((n) => n > 1).length, rows: per.reduce((a, b) => a + b, 0) };
}

describe('concurrent submissions against the real server', function () {
  this.timeout(120_000);

  describe('one server', () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer(RATE);
    });
    after(async () => {
      await s?.stop();
    });

    it(`stores each of ${USERS} forms submitted at once exactly once`, async () => {
      const formIds = Array.from({ length: USERS }, () => randomUUID());
      const t0 = performance.now();
      const replies = await Promise.all(formIds.map((f, i) => new TestConversation(s.base, user(i, 'crowd')).submit(form(f))));
      const ms = performance.now() - t0;
      const saved = replies.filter((r) => r.status === 200 && r.text.includes('Saved.')).length;
      const t = tally(s.app.db!, formIds);
      console.log(`      concurrency: ${USERS} submitted, ${t.stored} stored, ${t.lost} lost, ${t.duplicates} duplicates (${saved} "Saved." replies, ${(ms / 1000).toFixed(1)} s)`);
      expect(replies.map((r) => r.status)).to.deep.equal(formIds.map(() => 200));
      expect(saved).to.equal(USERS);
      expect(t).to.deep.equal({ stored: USERS, lost: 0, duplicates: 0, rows: USERS });
    });

    it(`stores a card double-submitted at once (by ${DOUBLES} users together) once, and says the second was already received`, async () => {
      const formIds = Array.from({ length: DOUBLES }, () => randomUUID());
      const pairs = await Promise.all(
        formIds.map((f, i) => {
          const c = new TestConversation(s.base, user(i, 'double'));
          return Promise.all([c.submit(form(f)), c.submit(form(f))]);
        }),
      );
      const t = tally(s.app.db!, formIds);
      const outcomes = pairs.map((p) => p.map((r) => (r.text.includes('Saved.') ? 'saved' : r.text.includes('already received') ? 'already' : r.text.slice(0, 80))).sort());
      console.log(`      concurrency: ${DOUBLES} cards double-submitted, ${t.stored} stored, ${t.lost} lost, ${t.duplicates} duplicates; ${outcomes.filter((o) => o[0] === 'already' && o[1] === 'saved').length} pairs answered "Saved." + "already received"`);
      expect(t).to.deep.equal({ stored: DOUBLES, lost: 0, duplicates: 0, rows: DOUBLES });
      for (const o of outcomes) expect(o).to.deep.equal(['already', 'saved']);
    });
  });

  describe('two bot processes sharing one SQLite file', () => {
    let dataDir: string;
    let bots: BotProcess[] = [];
    before(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'plan-concurrency-'));
      // One after the other: both would otherwise create the schema at once.
      bots = [await startBotProcess({ DATA_DIR: dataDir, ...RATE })];
      bots.push(await startBotProcess({ DATA_DIR: dataDir, ...RATE }));
    });
    after(async () => {
      await Promise.all(bots.map((b) => b.kill('SIGKILL')));
      rmSync(dataDir, { recursive: true, force: true });
    });

    it(`stores a card posted to both instances at once (${DOUBLES} users together) exactly once`, async () => {
      const formIds = Array.from({ length: DOUBLES }, () => randomUUID());
      const pairs = await Promise.all(
        formIds.map((f, i) => {
          const u = user(i, 'multi');
          const conv = randomUUID();
          // The same conversation and card, reaching a different instance each (as behind a load balancer).
          const [a, b] = bots.map((bot) => Object.assign(new TestConversation(bot.base, u), { id: conv }));
          return Promise.all([a.submit(form(f)), b.submit(form(f))]);
        }),
      );
      await Promise.all(bots.map((b) => b.kill('SIGTERM')));
      const db = openDatabase(dataDir);
      let t: ReturnType<typeof tally>;
      try {
        t = tally(db, formIds);
      } finally {
        db.close();
      }
      const outcomes = pairs.map((p) => p.map((r) => (r.status !== 200 ? `HTTP ${r.status}` : r.text.includes('Saved.') ? 'saved' : r.text.includes('already received') ? 'already' : r.text.slice(0, 80))).sort());
      const both = outcomes.filter((o) => o[0] === 'already' && o[1] === 'saved').length;
      console.log(`      concurrency: ${DOUBLES} cards posted to 2 instances at once, ${t.stored} stored, ${t.lost} lost, ${t.duplicates} duplicates; ${both} pairs answered "Saved." + "already received"`);
      expect(t).to.deep.equal({ stored: DOUBLES, lost: 0, duplicates: 0, rows: DOUBLES });
      for (const o of outcomes) expect(o).to.deep.equal(['already', 'saved']);
    });
  });
});
