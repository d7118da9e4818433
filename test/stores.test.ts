/**
 * One store suite, run against both back ends: SQLite (a file per test) and
 * PostgreSQL (a fresh schema per test, dropped afterwards). Submissions,
 * reviews and the append-only audit; state eTag semantics, including two
 * writers racing on one eTag and a turn re-run after a conflict; the
 * unanswered log. SQLite-only behaviour (WAL, reopening the file) stays in
 * storage.test.ts.
 */
import { rejection } from './helpers/assertions';
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { TestAdapter, type TurnContext } from 'botbuilder';
import { openDatabase, SqliteStateStore, SqliteUnansweredLog, type StoreItems } from '../storage/sqlite';
import { SqliteUpdateStore } from '../storage/sqliteUpdates';
import { openPostgres, PgStateStore, PgUnansweredLog, PG_MIGRATIONS, type PgDatabase } from '../storage/postgres';
import { PgUpdateStore, type AuditEntry } from '../storage/postgresUpdates';
import { isETagConflict, isStorageUnavailable } from '../storage/errors';
import type { NewSubmission, UpdateStore } from '../updates/types';
import type { UnansweredLog } from '../knowledge/unanswered';
import { SqliteConversationStore, SqliteReminderLog } from '../storage/sqliteReminders';
import { PgConversationStore, PgReminderLog } from '../storage/postgresReminders';
import type { ConversationStore } from '../updates/conversations';
import { claimOptions, CLAIM_TIMEOUT_MINUTES, MAX_ATTEMPTS, type ReminderKey, type ReminderLog } from '../updates/reminderLog';
import { OptimisticConversationState, runCommitted } from '../bot/turnCommit';
import { ensurePostgres, newSchema, serverAddress, TEST_DATABASE_URL, urlVia, type TestSchema } from './helpers/postgres';
import { startTcpProxy } from './helpers/tcpProxy';
import { SqliteRecentItems } from '../storage/sqliteRecent';
import { PgRecentItems } from '../storage/postgresRecent';
import { RECENT_ITEMS, type RecentItems } from '../knowledge/recentItems';

interface StateStore {
  read(keys: string[]): Promise<StoreItems>;
  write(changes: StoreItems): Promise<void>;
  delete(keys: string[]): Promise<void>;
  prune(olderThan: Date): Promise<number>;
}

interface Stores {
  updates: UpdateStore & { auditTrail(limit?: number): AuditEntry[] | Promise<AuditEntry[]> };
  state: StateStore;
  unanswered: UnansweredLog;
  conversations: ConversationStore;
  reminders: ReminderLog;
  recent: RecentItems;
  /** Runs SQL directly, as an administrator with database access might. */
  exec(sql: string): Promise<void>;
  /** Another connection to the same database: a second bot instance. */
  peer(): Promise<Stores>;
  close(): Promise<void>;
}

interface Backend {
  name: string;
  setup?(): Promise<void>;
  open(): Promise<Stores>;
}

const sqlite: Backend = {
  name: 'SQLite',
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'plan-stores-'));
    const peers: Stores[] = [];
    const make = (): Stores => {
      const db = openDatabase(dir);
      return {
        updates: new SqliteUpdateStore(db),
        state: new SqliteStateStore(db),
        unanswered: new SqliteUnansweredLog(db),
        conversations: new SqliteConversationStore(db),
        reminders: new SqliteReminderLog(db),
        recent: new SqliteRecentItems(db),
        exec: async (sql) => {
          db.exec(sql);
        },
        peer: async () => {
          const p = make();
          peers.push(p);
          return p;
        },
        close: async () => {
          db.close();
        },
      };
    };
    const first = make();
    return {
      ...first,
      close: async () => {
        for (const p of peers) await p.close();
        await first.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

const postgres: Backend = {
  name: 'PostgreSQL',
  setup: ensurePostgres,
  async open() {
    const schema: TestSchema = newSchema();
    const peers: PgDatabase[] = [];
    const make = async (): Promise<Stores> => {
      const db = openPostgres({ url: TEST_DATABASE_URL, schema: schema.schema, poolMax: 12 });
      peers.push(db);
      await db.migrate();
      return {
        updates: new PgUpdateStore(db),
        state: new PgStateStore(db),
        unanswered: new PgUnansweredLog(db),
        conversations: new PgConversationStore(db),
        reminders: new PgReminderLog(db),
        recent: new PgRecentItems(db),
        exec: async (sql) => void (await db.pool.query(sql)),
        peer: make,
        close: async () => db.close(),
      };
    };
    const first = await make();
    return {
      ...first,
      close: async () => {
        for (const p of peers) await p.close();
        await schema.drop();
      },
    };
  },
};

const LEAD = { id: 'lead-1', name: 'Claire Tagg' };
const REVIEWER = { id: 'rev-1', name: 'Rita Reviewer' };

function newSubmission(extra: Partial<NewSubmission> = {}): NewSubmission {
  return {
    idempotencyKey: `form:${randomUUID()}`,
    recordId: 'cy-p1-self-harm',
    recordKind: 'indicator',
    recordTitle: 'Number of hospital admissions for self-harm',
    planId: 'city',
    priorityId: 'cy-p1',
    value: '40',
    unit: 'number',
    period: 'Q3 2017/18',
    status: 'on track',
    narrative: 'SHARP clinics now run in twelve schools.',
    submitter: LEAD,
    ...extra,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const backend of [sqlite, postgres]) {
  describe(`stores on ${backend.name}`, function () {
    this.timeout(30_000);
    let s: Stores;
    before(async function () {
      this.timeout(60_000);
      await backend.setup?.();
    });
    beforeEach(async () => {
      s = await backend.open();
    });
    afterEach(async () => {
      await s.close();
    });

    describe('updates', () => {
      it('saves a submission, committed, and gets it back by id and by key with every field', async () => {
        const input = newSubmission({ reason: 'Referrals rose.', recovery: 'More clinics by June.', evidence: 'https://example.org/report' });
        const { submission, duplicate } = await s.updates.submit(input);
        expect(duplicate).to.equal(false);
        expect(submission).to.include({ recordId: input.recordId, value: '40', period: 'Q3 2017/18', reviewState: 'pending', reason: 'Referrals rose.', evidence: 'https://example.org/report' });
        expect(submission.submittedAt).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        expect(await s.updates.get(submission.id)).to.deep.equal(submission);
        expect(await s.updates.byIdempotencyKey(LEAD.id, input.idempotencyKey)).to.deep.equal(submission);
        expect(await s.updates.get('no-such-id')).to.equal(undefined);
        // Optional fields come back as undefined, not null.
        const plain = (await s.updates.submit(newSubmission({ value: undefined, unit: undefined, recordKind: 'activity' }))).submission;
        expect(plain.value).to.equal(undefined);
        expect(plain.reviewer).to.equal(undefined);
        expect(plain.carriedForward).to.equal(undefined);
        // "No change since last period" is a field of its own, kept through save and read.
        const carried = (await s.updates.submit(newSubmission({ carriedForward: true }))).submission;
        expect(carried.carriedForward).to.equal(true);
        expect(await s.updates.get(carried.id)).to.deep.equal(carried);
        expect((await s.updates.since('0000')).find((x) => x.id === carried.id)?.carriedForward).to.equal(true);
      });

      it('a repeated idempotency key returns the first submission, also when twenty arrive at once from two instances', async () => {
        const input = newSubmission();
        const first = await s.updates.submit(input);
        const again = await s.updates.submit({ ...input, value: '99' });
        expect(again.duplicate).to.equal(true);
        expect(again.submission).to.deep.equal(first.submission);

        const peer = await s.peer();
        const key = `form:${randomUUID()}`;
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? peer : s).updates.submit(newSubmission({ idempotencyKey: key }))));
        expect(results.filter((r) => !r.duplicate)).to.have.length(1);
        expect(new Set(results.map((r) => r.submission.id)).size).to.equal(1);
        expect(await s.updates.pending(100)).to.have.length(2);
      });

      it('idempotency keys are the submitter\'s: another user replaying a key saves their own submission and finds nothing of the first', async () => {
        const key = `form:${randomUUID()}`;
        const mine = await s.updates.submit(newSubmission({ idempotencyKey: key }));
        const theirs = await s.updates.submit(newSubmission({ idempotencyKey: key, submitter: { id: 'mallory', name: 'Mallory' }, value: '99' }));
        expect(theirs.duplicate, 'not "already received"').to.equal(false);
        expect(theirs.submission.id).not.to.equal(mine.submission.id);
        expect(theirs.submission).to.deep.include({ value: '99', submitter: { id: 'mallory', name: 'Mallory' } });
        expect(await s.updates.byIdempotencyKey(LEAD.id, key)).to.deep.equal(mine.submission);
        expect(await s.updates.byIdempotencyKey('mallory', key)).to.deep.equal(theirs.submission);
        expect(await s.updates.byIdempotencyKey('someone-else', key)).to.equal(undefined);
        // Each one's own retry is still a duplicate of their own, on two instances at once too.
        const peer = await s.peer();
        const again = await Promise.all([s, peer, s, peer].map((x, i) => x.updates.submit(newSubmission({ idempotencyKey: key, submitter: i % 2 ? { id: 'mallory', name: 'Mallory' } : LEAD }))));
        expect(again.every((r) => r.duplicate)).to.equal(true);
        expect(again.map((r) => r.submission.id)).to.deep.equal([mine.submission.id, theirs.submission.id, mine.submission.id, theirs.submission.id]);
      });

      it('lists by submitter (newest first) and pending (oldest first), with limits', async () => {
        const a = (await s.updates.submit(newSubmission({ period: 'Q1 2017/18' }))).submission;
        await sleep(5);
        const b = (await s.updates.submit(newSubmission({ period: 'Q2 2017/18' }))).submission;
        await sleep(5);
        const other = (await s.updates.submit(newSubmission({ submitter: { id: 'someone-else', name: 'Sam' } }))).submission;
        expect((await s.updates.bySubmitter(LEAD.id)).map((x) => x.id)).to.deep.equal([b.id, a.id]);
        expect((await s.updates.bySubmitter(LEAD.id, 1)).map((x) => x.id)).to.deep.equal([b.id]);
        expect((await s.updates.pending()).map((x) => x.id)).to.deep.equal([a.id, b.id, other.id]);
        expect((await s.updates.pending(2)).map((x) => x.id)).to.deep.equal([a.id, b.id]);
      });

      it('reviews: approve, return with a comment, already reviewed, not found; approved() and since()', async () => {
        const start = new Date(Date.now() - 1000).toISOString();
        const a = (await s.updates.submit(newSubmission())).submission;
        const b = (await s.updates.submit(newSubmission())).submission;
        const ok = await s.updates.review(a.id, 'approved', REVIEWER);
        expect(ok.ok).to.equal(true);
        if (!ok.ok) return;
        expect(ok.submission).to.include({ reviewState: 'approved' });
        expect(ok.submission.reviewer).to.deep.equal(REVIEWER);
        expect(ok.submission.reviewedAt).to.be.a('string');

        const again = await s.updates.review(a.id, 'returned', { id: 'rev-2', name: 'Other' }, 'no');
        expect(again).to.deep.include({ ok: false, reason: 'alreadyReviewed' });
        expect(again.ok === false && again.submission?.reviewer?.name).to.equal('Rita Reviewer');

        const returned = await s.updates.review(b.id, 'returned', REVIEWER, 'Please add the source.');
        expect(returned.ok && returned.submission.reviewComment).to.equal('Please add the source.');
        expect(returned.ok && returned.submission.reviewState).to.equal('returned');
        expect(await s.updates.review('no-such-id', 'approved', REVIEWER)).to.deep.equal({ ok: false, reason: 'notFound' });

        expect((await s.updates.approved()).map((x) => x.id)).to.deep.equal([a.id]);
        expect(await s.updates.pending()).to.have.length(0);
        expect((await s.updates.since(start)).map((x) => x.id)).to.have.members([a.id, b.id]);
        expect(await s.updates.since('2999-01-01')).to.have.length(0);
      });

      it('two reviewers deciding at once on two instances: exactly one decision counts', async () => {
        const a = (await s.updates.submit(newSubmission())).submission;
        const peer = await s.peer();
        const results = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? peer : s).updates.review(a.id, i % 3 ? 'approved' : 'returned', { id: `rev-${i}`, name: `Reviewer ${i}` }, 'comment')));
        expect(results.filter((r) => r.ok)).to.have.length(1);
        expect(results.filter((r) => !r.ok && r.reason === 'alreadyReviewed')).to.have.length(5);
        const trail = await s.updates.auditTrail();
        expect(trail.filter((t) => t.action !== 'submit')).to.have.length(1);
      });

      it('writes an audit row for every submit and review, with before and after, and the audit cannot be updated or deleted', async () => {
        const a = (await s.updates.submit(newSubmission())).submission;
        await s.updates.submit(newSubmission({ idempotencyKey: a.idempotencyKey })); // a duplicate writes nothing
        await s.updates.review(a.id, 'approved', REVIEWER);
        const trail = await s.updates.auditTrail();
        expect(trail.map((t) => t.action)).to.deep.equal(['approve', 'submit']);
        expect(trail[1]).to.include({ actorId: LEAD.id, submissionId: a.id });
        expect(trail[1].before).to.equal(undefined);
        expect((trail[1].after as { id: string }).id).to.equal(a.id);
        expect((trail[0].before as { reviewState: string }).reviewState).to.equal('pending');
        expect((trail[0].after as { reviewState: string }).reviewState).to.equal('approved');

        for (const sql of ["UPDATE audit SET action = 'nothing happened'", 'DELETE FROM audit', `DELETE FROM audit WHERE submission_id = '${a.id}'`]) {
          expect((await rejection(s.exec(sql))).message).to.include('audit is append-only');
        }
        expect(await s.updates.auditTrail()).to.deep.equal(trail);
      });
    });

    describe('bot state', () => {
      it('stores state with eTags: a stale eTag is refused with the SDK\'s "eTag conflict", a current one wins, "*" overwrites', async () => {
        await s.state.write({ k: { n: 1 } });
        const first = (await s.state.read(['k'])).k;
        expect(first.n).to.equal(1);
        expect(first.eTag).to.be.a('string');
        await s.state.write({ k: { n: 2, eTag: first.eTag } });
        const err = await rejection(s.state.write({ k: { n: 3, eTag: first.eTag } }));
        expect(err.message).to.match(/eTag conflict/);
        expect(isETagConflict(err)).to.equal(true);
        expect((await s.state.read(['k'])).k.n).to.equal(2);
        await s.state.write({ k: { n: 4, eTag: '*' } });
        expect((await s.state.read(['k'])).k.n).to.equal(4);
      });

      it('an eTag for a key that does not exist creates it; the same made-up eTag on an existing key conflicts; a write stamps the new eTag', async () => {
        const item = { n: 1, eTag: 'new-1' };
        await s.state.write({ fresh: item });
        const stored = (await s.state.read(['fresh'])).fresh;
        expect(stored.n).to.equal(1);
        expect(item.eTag).to.equal(stored.eTag);
        expect((await rejection(s.state.write({ fresh: { n: 2, eTag: 'new-2' } }))).message).to.match(/eTag conflict/);
        await s.state.write({ fresh: item }); // the stamped eTag is current, so the writer can write again
      });

      it('two writers with the same eTag, on two instances at once: exactly one wins, the others get the conflict', async () => {
        await s.state.write({ k: { n: 0 } });
        const { eTag } = (await s.state.read(['k'])).k;
        const peer = await s.peer();
        const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => (i % 2 ? peer : s).state.write({ k: { n: i + 1, eTag } })));
        const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i + 1] : []));
        expect(won).to.have.length(1);
        for (const r of results) if (r.status === 'rejected') expect((r.reason as Error).message).to.match(/eTag conflict/);
        expect((await s.state.read(['k'])).k.n).to.equal(won[0]);
      });

      it('eTags are a counter: each write of a key is one more than the last; a key made again starts somewhere else; a UUID eTag from before starts a count', async () => {
        await s.state.write({ c: { n: 1 } });
        const first = (await s.state.read(['c'])).c.eTag as string;
        expect(first).to.match(/^\d{1,15}$/);
        const item = { n: 2, eTag: first };
        await s.state.write({ c: item });
        expect(item.eTag).to.equal(String(Number(first) + 1));
        await s.state.write({ c: { n: 3, eTag: '*' } });
        expect((await s.state.read(['c'])).c.eTag).to.equal(String(Number(first) + 2));
        // Deleted and made again: a reader still holding an eTag of its first life must not match the second.
        await s.state.delete(['c']);
        await s.state.write({ c: { n: 1 } });
        expect((await s.state.read(['c'])).c.eTag).to.not.be.oneOf([first, String(Number(first) + 1), String(Number(first) + 2)]);
        // A row written when eTags were UUIDs: the UUID is still the current eTag, and the next one is a counter.
        await s.exec("UPDATE bot_state SET etag = '3f2a9c4e-0000-4000-8000-000000000000' WHERE key = 'c'");
        const legacy = { n: 4, eTag: '3f2a9c4e-0000-4000-8000-000000000000' };
        await s.state.write({ c: legacy });
        expect(legacy.eTag).to.match(/^\d{1,15}$/);
        expect((await rejection(s.state.write({ c: { n: 5, eTag: '3f2a9c4e-0000-4000-8000-000000000000' } }))).message).to.match(/eTag conflict/);
      });

      it('a write of several items is all or nothing', async () => {
        await s.state.write({ a: { x: 1 }, b: { x: 1 } });
        const { a, b } = await s.state.read(['a', 'b']);
        await s.state.write({ b: { x: 2, eTag: b.eTag } });
        await rejection(s.state.write({ a: { x: 3, eTag: a.eTag }, b: { x: 3, eTag: b.eTag } }));
        const now = await s.state.read(['a', 'b']);
        expect([now.a.x, now.b.x]).to.deep.equal([1, 2]);
      });

      it('prunes conversations whose state has not changed since a date (storage/retention.ts)', async () => {
        await s.state.write({ 'c/idle': { v: 1 }, 'c/active': { v: 2 } });
        await s.exec("UPDATE bot_state SET updated_at = '2000-01-01T00:00:00.000Z' WHERE key = 'c/idle'");
        expect(await s.state.prune(new Date('2010-01-01T00:00:00Z'))).to.equal(1);
        expect(Object.keys(await s.state.read(['c/idle', 'c/active']))).to.deep.equal(['c/active']);
      });

      it('reads several keys and deletes', async () => {
        await s.state.write({ a: { x: 1 }, b: { x: 2 } });
        expect(Object.keys(await s.state.read(['a', 'b', 'c'])).sort()).to.deep.equal(['a', 'b']);
        await s.state.delete(['a']);
        expect(Object.keys(await s.state.read(['a', 'b']))).to.deep.equal(['b']);
        expect(await s.state.read([])).to.deep.equal({});
      });

      it('turns on two instances reading the same conversation state: the later commit is run again on the new state and only its replies are sent', async () => {
        const peer = await s.peer();
        let arrived = 0;
        let release!: () => void;
        const bothRead = new Promise<void>((r) => (release = r));
        const runs: string[] = [];
        const instance = (stores: Stores, name: string) => {
          const state = new OptimisticConversationState(stores.state);
          const count = state.createProperty<number>('count');
          let attempt = 0;
          const adapter = new TestAdapter(async (ctx: TurnContext) =>
            runCommitted(ctx, state, async () => {
              attempt++;
              const n = (await count.get(ctx, 0)) + 1;
              runs.push(`${name}${attempt}:${n}`);
              await ctx.sendActivity(`${name} attempt ${attempt} counted ${n}`);
              if (attempt === 1) {
                // Both turns have read the same state before either commits.
                if (++arrived === 2) release();
                await bothRead;
              }
              await count.set(ctx, n);
            }),
          );
          return adapter;
        };
        const a = instance(s, 'A');
        const b = instance(peer, 'B');
        await Promise.all([a.send('count'), b.send('count')]);
        const replies = [...a.activeQueue, ...b.activeQueue].map((x) => x.text);
        // One turn committed 1; the other lost, ran again on that state and committed 2. Only the committed runs replied.
        expect(replies).to.have.length(2);
        expect(replies.filter((t) => t?.endsWith('counted 1'))).to.have.length(1);
        expect(replies.filter((t) => t?.endsWith('counted 2'))).to.have.length(1);
        expect(replies.some((t) => t?.includes('attempt 2'))).to.equal(true);
        expect(runs).to.have.length(3);
        const key = 'test/conversations/Convo1/';
        expect((await s.state.read([key]))[key].count).to.equal(2);
      });
    });

    describe('conversation references', () => {
      const reference = (conversationId: string) => ({
        channelId: 'msteams',
        serviceUrl: 'https://smba.trafficmanager.net/uk/',
        conversation: { id: conversationId, conversationType: 'personal', tenantId: 't1' },
        user: { id: '29:1abc', name: 'Claire Tagg', aadObjectId: 'aad-claire' },
        bot: { id: '28:bot', name: 'Plan assistant' },
        locale: 'en-GB',
      });

      it('upserts a user\'s reference and reads it back as it was; an unchanged one is not written again', async () => {
        const t0 = new Date('2018-04-20T09:00:00.000Z');
        expect(await s.conversations.upsert({ userId: 'aad-claire', userName: 'Claire Tagg', reference: reference('a:1') }, t0)).to.equal(true);
        expect(await s.conversations.get('aad-claire')).to.deep.equal({ userId: 'aad-claire', userName: 'Claire Tagg', reference: reference('a:1'), updatedAt: t0.toISOString() });
        // The same again: nothing written, so the time stays.
        expect(await s.conversations.upsert({ userId: 'aad-claire', userName: 'Claire Tagg', reference: reference('a:1') }, new Date('2018-04-21T09:00:00.000Z'))).to.equal(false);
        expect((await s.conversations.get('aad-claire'))?.updatedAt).to.equal(t0.toISOString());
        // A new chat, or a new name, replaces it.
        const t2 = new Date('2018-04-22T09:00:00.000Z');
        expect(await s.conversations.upsert({ userId: 'aad-claire', userName: 'Claire Tagg', reference: reference('a:2') }, t2)).to.equal(true);
        expect(await s.conversations.upsert({ userId: 'aad-claire', userName: 'Claire Tagg (CCG)', reference: reference('a:2') }, t2)).to.equal(true);
        expect(await s.conversations.get('aad-claire')).to.deep.include({ userName: 'Claire Tagg (CCG)', reference: reference('a:2'), updatedAt: t2.toISOString() });
        expect(await s.conversations.get('nobody')).to.equal(undefined);
      });

      it('keeps a reference in use from expiring: an unchanged one older than refreshBefore is written again, a delivery touches it; prune drops old, bloated and surplus rows', async () => {
        const t0 = new Date('2018-04-20T09:00:00.000Z');
        const t1 = new Date('2018-04-23T09:00:00.000Z');
        await s.conversations.upsert({ userId: 'aad-claire', userName: 'Claire Tagg', reference: reference('a:1') }, t0);
        expect(await s.conversations.upsert({ userId: 'aad-claire', userName: 'Claire Tagg', reference: reference('a:1') }, t1, new Date('2018-04-20T00:00:00.000Z')), 'recent enough').to.equal(false);
        expect(await s.conversations.upsert({ userId: 'aad-claire', userName: 'Claire Tagg', reference: reference('a:1') }, t1, new Date('2018-04-22T09:00:00.000Z')), 'refreshed').to.equal(true);
        expect((await s.conversations.get('aad-claire'))?.updatedAt).to.equal(t1.toISOString());
        const t2 = new Date('2018-05-01T09:00:00.000Z');
        await s.conversations.touch('aad-claire', t2);
        await s.conversations.touch('aad-claire', t0);
        expect((await s.conversations.get('aad-claire'))?.updatedAt, 'touched, never moved back').to.equal(t2.toISOString());
        for (const [id, at] of [['old', '2017-01-01T00:00:00.000Z'], ['a', '2018-04-01T00:00:00.000Z'], ['b', '2018-04-02T00:00:00.000Z']] as const) await s.conversations.upsert({ userId: id, userName: id, reference: reference(id) }, new Date(at));
        await s.conversations.upsert({ userId: 'bloated', userName: 'x', reference: { ...reference('x'), extra: 'x'.repeat(20_000) } }, t2);
        expect(await s.conversations.prune(new Date('2018-01-01T00:00:00.000Z'), 2, 8192)).to.equal(3);
        expect((await s.conversations.all()).map((c) => c.userId).sort()).to.deep.equal(['aad-claire', 'b']);
      });

      it('lists every known user, one row each, also when two instances record at once', async () => {
        const peer = await s.peer();
        const at = new Date('2018-04-20T09:00:00.000Z');
        await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? peer : s).conversations.upsert({ userId: `u${i % 3}`, userName: `User ${i % 3}`, reference: reference(`c${i % 3}`) }, at)));
        const all = await s.conversations.all();
        expect(all.map((c) => c.userId)).to.deep.equal(['u0', 'u1', 'u2']);
        expect(all[1].reference).to.deep.equal(reference('c1'));
      });
    });

    describe('reminder claims', () => {
      const key: ReminderKey = { userId: 'aad-claire', itemId: 'cy-p1-self-harm', period: 'Q4 2017/18', kind: 'before' };
      const T = new Date('2018-04-25T09:00:00.000Z');
      const later = (minutes: number) => new Date(T.getTime() + minutes * 60_000);
      const claimOne = async (st: Stores, k: ReminderKey, o: ReturnType<typeof claimOptions>) => (await st.reminders.claim([k], o)).length === 1;

      it('twenty runs claiming the same reminder at once, on two instances: exactly one wins', async () => {
        const peer = await s.peer();
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? peer : s).reminders.claim([key], claimOptions(`run-${i}`, T)).then((won) => won.length === 1)));
        expect(results.filter(Boolean)).to.have.length(1);
        const rows = await s.reminders.forUser(key.userId);
        expect(rows).to.have.length(1);
        expect(rows[0]).to.deep.include({ ...key, state: 'claimed', attempts: 1, claimedAt: T.toISOString() });
        expect(rows[0].claimant).to.equal(`run-${results.indexOf(true)}`);
      });

      it("twenty runs claiming one lead's three reminders at once: one run wins all three, none is split between runs", async () => {
        const peer = await s.peer();
        const keys = ['cy-p1-self-harm', 'cy-p1-bemh-referrals', 'cy-p1-mental-health-admissions'].map((itemId) => ({ ...key, itemId }));
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? peer : s).reminders.claim(i % 3 ? keys : [...keys].reverse(), claimOptions(`run-${i}`, T))));
        const winners = results.filter((r) => r.length);
        expect(winners).to.have.length(1);
        expect(winners[0]).to.have.length(3);
        expect(new Set((await s.reminders.forUser(key.userId)).map((r) => r.claimant)).size).to.equal(1);
      });

      it('once sent, never claimed again, however late; other items, periods, kinds and users are claims of their own', async () => {
        expect(await claimOne(s, key, claimOptions('run-1', T))).to.equal(true);
        await s.reminders.markSent(key, 'run-1', later(1));
        expect(await claimOne(s, key, claimOptions('run-2', later(60 * 24)))).to.equal(false);
        expect((await s.reminders.forUser(key.userId))[0]).to.deep.include({ state: 'sent', sentAt: later(1).toISOString() });
        for (const other of [{ ...key, itemId: 'cy-p1-bemh-referrals' }, { ...key, period: 'Q1 2018/19' }, { ...key, kind: 'overdue' }, { ...key, kind: 'chase 2018-05-10' }, { ...key, userId: 'aad-hayley' }]) {
          expect(await claimOne(s, other, claimOptions('run-2', T)), JSON.stringify(other)).to.equal(true);
        }
      });

      it(`a claim whose run died (never marked) is taken over after ${CLAIM_TIMEOUT_MINUTES} minutes, by one of several runs`, async () => {
        expect(await claimOne(s, key, claimOptions('dead', T))).to.equal(true);
        expect(await claimOne(s, key, claimOptions('early', later(CLAIM_TIMEOUT_MINUTES - 1)))).to.equal(false);
        const peer = await s.peer();
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? peer : s).reminders.claim([key], claimOptions(`late-${i}`, later(CLAIM_TIMEOUT_MINUTES + 1))).then((won) => won.length === 1)));
        expect(results.filter(Boolean)).to.have.length(1);
        expect((await s.reminders.forUser(key.userId))[0]).to.deep.include({ state: 'claimed', attempts: 2, claimant: `late-${results.indexOf(true)}` });
      });

      it(`a failed send may be claimed again, up to ${MAX_ATTEMPTS} attempts; only the claimant can mark its claim failed`, async () => {
        expect(await claimOne(s, key, claimOptions('run-1', T))).to.equal(true);
        await s.reminders.markFailed(key, 'someone-else', 'not mine');
        expect((await s.reminders.forUser(key.userId))[0].state).to.equal('claimed');
        await s.reminders.markFailed(key, 'run-1', 'connector said 403');
        expect((await s.reminders.forUser(key.userId))[0]).to.deep.include({ state: 'failed', error: 'connector said 403' });
        for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
          expect(await claimOne(s, key, claimOptions(`run-${attempt}`, later(attempt))), `attempt ${attempt}`).to.equal(true);
          await s.reminders.markFailed(key, `run-${attempt}`, 'connector said 403');
        }
        expect(await claimOne(s, key, claimOptions('run-last', later(60)))).to.equal(false);
        expect((await s.reminders.forUser(key.userId))[0]).to.deep.include({ state: 'failed', attempts: MAX_ATTEMPTS });
      });
    });

    describe('recent items (the message extension)', () => {
      const at = (minute: number) => new Date(Date.UTC(2018, 4, 1, 9, minute));

      it('lists a user\'s picks most recent first, counting repeats, and no one else\'s', async () => {
        await s.recent.record('aad-claire', 'ce-p4-camhs-referral-to-treatment', at(1));
        await s.recent.record('aad-claire', 'cy-p2-child-protection-plans', at(2));
        await s.recent.record('aad-sam', 'cy-p1-breastfeeding', at(3));
        await s.recent.record('aad-claire', 'ce-p4-camhs-referral-to-treatment', at(4));
        expect(await s.recent.list('aad-claire', 10)).to.deep.equal([
          { recordId: 'ce-p4-camhs-referral-to-treatment', uses: 2, lastUsed: at(4).toISOString() },
          { recordId: 'cy-p2-child-protection-plans', uses: 1, lastUsed: at(2).toISOString() },
        ]);
        expect(await s.recent.list('aad-claire', 1)).to.have.length(1);
        expect((await s.recent.list('aad-sam', 10)).map((i) => i.recordId)).to.deep.equal(['cy-p1-breastfeeding']);
        expect(await s.recent.list('nobody', 10)).to.deep.equal([]);
        // A pick recorded late (an instance whose clock or turn lagged) does not move an item back in time.
        await s.recent.record('aad-claire', 'ce-p4-camhs-referral-to-treatment', at(0));
        expect((await s.recent.list('aad-claire', 1))[0]).to.deep.equal({ recordId: 'ce-p4-camhs-referral-to-treatment', uses: 3, lastUsed: at(4).toISOString() });
      });

      it(`keeps at most ${RECENT_ITEMS.perUser} items a user, dropping the oldest picks, also when two instances record at once`, async () => {
        const peer = await s.peer();
        const n = RECENT_ITEMS.perUser + 7;
        await Promise.all(Array.from({ length: n }, (_, i) => (i % 2 ? peer : s).recent.record('aad-claire', `item-${String(i).padStart(2, '0')}`, at(i))));
        await s.recent.record('aad-sam', 'item-00', at(0));
        const kept = await s.recent.list('aad-claire', 100);
        expect(kept.map((i) => i.recordId)).to.deep.equal(Array.from({ length: RECENT_ITEMS.perUser }, (_, k) => `item-${String(n - 1 - k).padStart(2, '0')}`));
        // Another user's list is theirs: not trimmed by Claire's.
        expect(await peer.recent.list('aad-sam', 100)).to.have.length(1);
      });

      it('prunes picks older than a date, and the lists of users beyond the most recent ones (storage/retention.ts)', async () => {
        await s.recent.record('aad-claire', 'item-a', at(1));
        await s.recent.record('aad-claire', 'item-b', at(30));
        await s.recent.record('aad-sam', 'item-a', at(20));
        await s.recent.record('aad-rita', 'item-c', at(40));
        await s.recent.record('aad-rita', 'item-d', at(10));
        // item-a of Claire is old; then of the three users, Sam picked least recently: beyond the two kept.
        expect(await s.recent.prune(at(5), 2)).to.equal(2);
        expect((await s.recent.list('aad-claire', 10)).map((i) => i.recordId)).to.deep.equal(['item-b']);
        expect(await s.recent.list('aad-sam', 10)).to.deep.equal([]);
        expect((await s.recent.list('aad-rita', 10)).map((i) => i.recordId)).to.deep.equal(['item-c', 'item-d']);
        expect(await s.recent.prune(at(0), 2)).to.equal(0);
      });
    });

    describe('unanswered log', () => {
      it('records questions and lists them grouped (case and spaces ignored), with counts, most asked first', async () => {
        await s.unanswered.record({ question: 'Ofsted rating city?', reason: 'notFound', suggestions: ['x'] });
        await s.unanswered.record({ question: 'ofsted rating city? ', reason: 'notFound', suggestions: [] });
        await s.unanswered.record({ question: 'something else', reason: 'noneOfThese', suggestions: [], conversation: 'c1' });
        const list = await s.unanswered.list();
        expect(list).to.have.length(2);
        expect(list[0]).to.include({ count: 2, reason: 'notFound' });
        expect(list[1]).to.include({ count: 1, reason: 'noneOfThese', question: 'something else' });
        expect(list[0].lastAsked).to.match(/^\d{4}-/);
        expect(await s.unanswered.list(1)).to.have.length(1);
      });
    });
  });
}

describe('PostgreSQL only: migrations', function () {
  this.timeout(60_000);
  before(ensurePostgres);

  it('instances starting together apply each migration once (advisory lock), and the audit cannot be truncated either', async () => {
    const schema = newSchema();
    const dbs = Array.from({ length: 5 }, () => openPostgres({ url: TEST_DATABASE_URL, schema: schema.schema, poolMax: 2 }));
    try {
      const versions = await Promise.all(dbs.map((d) => d.migrate()));
      expect(new Set(versions).size).to.equal(1);
      const rows = (await dbs[0].query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => r.version);
      expect(rows).to.deep.equal(PG_MIGRATIONS.map((m) => m.version));
      expect(await dbs[1].migrate()).to.equal(versions[0]);
      expect((await rejection(dbs[0].query('TRUNCATE audit'))).message).to.include('audit is append-only');
    } finally {
      for (const d of dbs) await d.close();
      await schema.drop();
    }
  });
});

describe('PostgreSQL only: a connection lost in the middle of a transaction', function () {
  this.timeout(60_000);
  before(ensurePostgres);

  it('fails that transaction as "database unreachable" (nothing committed) instead of ending the process, and the pool recovers', async () => {
    const schema = newSchema();
    const proxy = await startTcpProxy(serverAddress());
    const db = openPostgres({ url: urlVia(proxy.port), schema: schema.schema, poolMax: 2 });
    try {
      await db.migrate();
      // The connection goes while the transaction's client is checked out, between two of its statements: an 'error' event
      // nobody listened for would be an uncaught exception here.
      const err = await rejection(
        db.tx(async (c) => {
          await c.query("INSERT INTO unanswered (question, reason, suggestions, asked_at) VALUES ('lost?', 'notFound', '[]', 'x')");
          await proxy.down();
          await new Promise((r) => setTimeout(r, 200));
          await c.query('SELECT 1');
        }),
      );
      expect(isStorageUnavailable(err), err.message).to.equal(true);
      expect(db.health().ok).to.equal(false);
      await proxy.up();
      expect((await db.query<{ n: number }>("SELECT COUNT(*)::int AS n FROM unanswered WHERE question = 'lost?'")).rows[0].n, 'rolled back').to.equal(0);
    } finally {
      await db.close();
      await proxy.close();
      await schema.drop();
    }
  });
});
