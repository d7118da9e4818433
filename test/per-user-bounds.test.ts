/**
 * What the bot keeps per user is small, bounded and expires. A stored
 * conversation reference holds only what a proactive message needs (ids,
 * serviceUrl, channel, tenant, conversation type), each field bounded; the
 * per-user stores (references, conversation state, the message extension's
 * recent items) are pruned by age and count (storage/retention.ts). Stated bound, tested on the real process:
 * 1,000 users each sending a personal chat message with a 900 KB extra field
 * in `conversation` grow the database by less than 5 MB and the process's
 * resident memory by less than RSS_BOUND_MB; 1,000 more, with extra fields
 * small enough to be accepted, store none of them.
 */
import { expect } from 'chai';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { storableReference } from '../bot/proactive';
import { openDatabase } from '../storage/sqlite';
import { SqliteStateStore } from '../storage/sqlite';
import { SqliteConversationStore } from '../storage/sqliteReminders';
import { SqliteRecentItems } from '../storage/sqliteRecent';
import { RETENTION, pruneStores } from '../storage/retention';
import { startBotProcess, type BotProcess } from './helpers/process';
import { TestConversation } from './helpers/server';
import { pool } from './helpers/fuzz';
import { ensurePostgres, newSchema, sql, TEST_DATABASE_URL, type TestSchema } from './helpers/postgres';

const MB = 1024 * 1024;
const USERS = 1000;
/** The stated bounds. */
const DB_BOUND_MB = 5;
const RSS_BOUND_MB = 100;

/** The database's size on disk: the SQLite file and its WAL. */
function sqliteBytes(dir: string): number {
  return readdirSync(dir).filter((f) => f.startsWith('plan-assistant.db')).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m![1]) * 1024;
}

/** A user's first message, in a personal chat whose conversation object carries an extra field of `padBytes`. */
function padded(base: string, n: number, padBytes: number, tag: string) {
  const c = new TestConversation(base, { id: `29:${tag}-${n}`, name: `User ${n}`, aadObjectId: randomUUID() });
  const a = c.activity({ text: 'hello' }) as Record<string, Record<string, unknown>>;
  a.conversation = { ...a.conversation, extra: `${tag}-`.padEnd(padBytes, 'x') };
  return { c, body: JSON.stringify(a) };
}

async function flood(base: string, padBytes: number, tag: string): Promise<Record<number, number>> {
  const statuses: Record<number, number> = {};
  await pool(USERS, 4, async (n) => {
    const { body } = padded(base, n, padBytes, tag);
    const res = await fetch(base + '/api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await res.arrayBuffer();
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
  });
  return statuses;
}

describe('per-user data is small, bounded and expires', function () {
  this.timeout(300_000);

  it('a stored reference keeps only what a proactive message needs, each field bounded', () => {
    const ref = storableReference({
      activityId: 'a1',
      channelId: 'msteams',
      serviceUrl: 'https://smba.trafficmanager.net/uk/',
      locale: 'en-GB',
      conversation: { id: 'a:1', conversationType: 'personal', tenantId: 't1', isGroup: false, name: 'x', extra: 'y'.repeat(10_000) } as never,
      user: { id: '29:1', name: 'Claire', aadObjectId: 'aad-1', extra: 'z' } as never,
      bot: { id: '28:bot', name: 'Plan assistant' },
    });
    expect(ref).to.deep.equal({ channelId: 'msteams', serviceUrl: 'https://smba.trafficmanager.net/uk/', conversation: { id: 'a:1', conversationType: 'personal', tenantId: 't1', isGroup: false }, user: { id: '29:1', aadObjectId: 'aad-1' }, bot: { id: '28:bot' } });
    expect(storableReference({ channelId: 'msteams', serviceUrl: 'https://x.example/', conversation: { id: 'c'.repeat(5000) } as never, user: { id: 'u' } as never, bot: { id: 'b' } as never }), 'an over-long id').to.equal(undefined);
  });

  it('a reference checked before is answered from memory the same way, as an object of its own each time', () => {
    const incoming = { channelId: 'msteams', serviceUrl: 'https://smba.trafficmanager.net/uk/', conversation: { id: 'a:2' } as never, user: { id: '29:2' } as never, bot: { id: '28:bot' } as never };
    const first = storableReference(incoming)!;
    first.conversation.id = 'changed by a caller';
    expect(storableReference(incoming)).to.deep.equal({ channelId: 'msteams', serviceUrl: 'https://smba.trafficmanager.net/uk/', conversation: { id: 'a:2' }, user: { id: '29:2' }, bot: { id: '28:bot' } });
    const padded = { ...incoming, conversation: { id: ' a:3 ' } as never };
    expect(storableReference(padded)?.conversation.id, 'trimmed by the schema').to.equal('a:3');
    expect(storableReference(padded)?.conversation.id, 'trimmed from memory too').to.equal('a:3');
    const bad = { ...incoming, serviceUrl: 'not a url' };
    expect(storableReference(bad)).to.equal(undefined);
    expect(storableReference(bad), 'refused again from memory').to.equal(undefined);
  });

  it(`prunes references, conversation state and recent items by age (${RETENTION.conversationDays}, ${RETENTION.stateDays} and ${RETENTION.recentItemDays} days) and count (${RETENTION.maxConversations.toLocaleString('en-GB')} users)`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plan-retention-'));
    const db = openDatabase(dir);
    try {
      const conversations = new SqliteConversationStore(db);
      const state = new SqliteStateStore(db);
      const recent = new SqliteRecentItems(db);
      const now = new Date('2024-06-01T00:00:00Z');
      const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
      const ref = { channelId: 'msteams', serviceUrl: 'https://x.example/', conversation: { id: 'c' }, user: { id: 'u' }, bot: { id: 'b' } };
      await conversations.upsert({ userId: 'recent', userName: 'R', reference: ref }, daysAgo(10));
      await conversations.upsert({ userId: 'old', userName: 'O', reference: ref }, daysAgo(RETENTION.conversationDays + 1));
      // A row from before references were trimmed, far over any real reference's size.
      await conversations.upsert({ userId: 'bloated', userName: 'B', reference: { ...ref, extra: 'x'.repeat(100_000) } }, daysAgo(1));
      await state.write({ 'msteams/conversations/fresh/': { v: 1 }, 'msteams/conversations/stale/': { v: 1 } });
      db.prepare('UPDATE bot_state SET updated_at = ? WHERE key = ?').run(daysAgo(RETENTION.stateDays + 1).toISOString(), 'msteams/conversations/stale/');
      await recent.record('recent', 'ce-p4-camhs-referral-to-treatment', daysAgo(3));
      await recent.record('recent', 'cy-p1-breastfeeding', daysAgo(RETENTION.recentItemDays + 1));
      const r = await pruneStores({ conversations, state, recent }, now, { ...RETENTION, maxConversations: 1 });
      expect((await recent.list('recent', 10)).map((i) => i.recordId)).to.deep.equal(['ce-p4-camhs-referral-to-treatment']);
      expect((await conversations.all()).map((c) => c.userId)).to.deep.equal(['recent']);
      expect(Object.keys(await state.read(['msteams/conversations/fresh/', 'msteams/conversations/stale/']))).to.deep.equal(['msteams/conversations/fresh/']);
      expect(r).to.deep.equal({ conversations: 2, states: 1, recentItems: 1 });
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('1,000 users with padded conversations, against the real process', () => {
    let bot: BotProcess | undefined;
    let dataDir: string;
    let schema: TestSchema | undefined;
    beforeEach(() => {
      dataDir = mkdtempSync(join(tmpdir(), 'plan-per-user-'));
    });
    afterEach(async () => {
      await bot?.kill('SIGKILL');
      bot = undefined;
      rmSync(dataDir, { recursive: true, force: true });
      await schema?.drop();
      schema = undefined;
    });

    it(`SQLite: 900 KB extra fields grow the database < ${DB_BOUND_MB} MB and RSS < ${RSS_BOUND_MB} MB; accepted extra fields are not stored`, async () => {
      bot = await startBotProcess({ DATA_DIR: dataDir, RATE_LIMIT_BURST: '10000', RATE_LIMIT_PER_MINUTE: '100000' });
      await flood(bot.base, 1000, 'warm'); // warm up: JIT, caches, the first rows
      const db0 = sqliteBytes(dataDir);
      const rss0 = rssBytes(bot.child.pid!);
      const huge = await flood(bot.base, 900 * 1024, 'huge');
      const rss1 = rssBytes(bot.child.pid!);
      const accepted = await flood(bot.base, 3000, 'small');
      const db1 = sqliteBytes(dataDir);
      console.log(`      per-user: ${USERS} × 900 KB conversation field → ${JSON.stringify(huge)}; RSS ${((rss1 - rss0) / MB).toFixed(1)} MB more; ${USERS} × 3 KB (accepted) → ${JSON.stringify(accepted)}; database ${((db1 - db0) / MB).toFixed(2)} MB more`);
      expect(huge).to.deep.equal({ 400: USERS });
      expect(accepted).to.deep.equal({ 200: USERS });
      expect(rss1 - rss0, 'RSS growth').to.be.below(RSS_BOUND_MB * MB);
      expect(db1 - db0, 'database growth').to.be.below(DB_BOUND_MB * MB);
      await bot.kill('SIGTERM');
      bot = undefined;
      const db = openDatabase(dataDir);
      try {
        const rows = db.prepare("SELECT reference FROM conversations WHERE user_id LIKE '%' ").all() as { reference: string }[];
        expect(rows.length).to.be.at.least(2 * USERS);
        expect(rows.filter((r) => r.reference.includes('xxxx'))).to.deep.equal([]);
        expect(Math.max(...rows.map((r) => r.reference.length))).to.be.below(1000);
      } finally {
        db.close();
      }
    });

    it(`PostgreSQL: accepted extra fields are not stored; the tables grow < ${DB_BOUND_MB} MB`, async () => {
      await ensurePostgres();
      schema = newSchema();
      bot = await startBotProcess({ DATA_DIR: dataDir, DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema.schema, RATE_LIMIT_BURST: '10000', RATE_LIMIT_PER_MINUTE: '100000' });
      const size = async () => (await sql<{ n: string }>("SELECT (pg_total_relation_size('conversations') + pg_total_relation_size('bot_state'))::text AS n", [], schema!.schema))[0].n;
      const before = Number(await size());
      expect(await flood(bot.base, 900 * 1024, 'huge')).to.deep.equal({ 400: USERS });
      expect(await flood(bot.base, 3000, 'small')).to.deep.equal({ 200: USERS });
      const grown = Number(await size()) - before;
      console.log(`      per-user (PostgreSQL): ${USERS} × 900 KB refused, ${USERS} × 3 KB accepted; conversations + bot_state ${(grown / MB).toFixed(2)} MB more`);
      expect(grown).to.be.below(DB_BOUND_MB * MB);
      const padded = await sql<{ n: number }>("SELECT COUNT(*)::int AS n FROM conversations WHERE reference LIKE '%xxxx%'", [], schema.schema);
      expect(padded[0].n).to.equal(0);
    });
  });
});
