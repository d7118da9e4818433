/**
 * A weekly digest that can no longer be delivered ends: after DIGEST_UNDELIVERED_WEEKS Mondays running on which
 * the channel refused every try, the subscription (the manager's id, name and chat) is dropped and the run says
 * so. One delivered Monday starts the count again. Real SQLite stores; a sender that refuses or accepts.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../storage/sqlite';
import { SqliteDigestStore } from '../storage/sqliteDigests';
import { SqliteReminderLog } from '../storage/sqliteReminders';
import { DIGEST_UNDELIVERED_WEEKS, DigestRunner, type DigestSender } from '../updates/digest';
import { MAX_ATTEMPTS } from '../updates/reminderLog';

/** 09:00 UTC on the n-th Monday from 7 May 2018 (Monday morning in London). */
const monday = (n: number) => new Date(Date.UTC(2018, 4, 7 + 7 * n, 9, n % 2));

describe('weekly digests that cannot be delivered end', () => {
  let dir: string;
  let db: Db;
  let store: SqliteDigestStore;
  let now = monday(0);
  let refuse = true;
  let runner: DigestRunner;
  const sender: DigestSender = {
    async send() {
      if (refuse) throw new Error('Forbidden: the bot is not part of the conversation roster');
    },
  };
  /** One Monday: as many runs as it takes to use up every try. */
  const week = async (n: number) => {
    now = monday(n);
    const reports = [];
    for (let i = 0; i < MAX_ATTEMPTS; i++) reports.push(await runner.runOnce());
    return reports;
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'plan-digest-expiry-'));
    db = openDatabase(dir);
    store = new SqliteDigestStore(db);
    refuse = true;
    runner = new DigestRunner({ store, log: new SqliteReminderLog(db), sender, now: () => now });
    await store.subscribe({ userId: 'aad-mo', userName: 'Mo', reference: { conversation: { id: 'a:1', conversationType: 'personal' } }, timeZone: 'Europe/London', subscribedAt: '2018-05-01T10:00:00.000Z' });
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`is ended after ${DIGEST_UNDELIVERED_WEEKS} Mondays running refused, not before`, async () => {
    for (let n = 0; n < DIGEST_UNDELIVERED_WEEKS - 1; n++) {
      const reports = await week(n);
      expect(reports.flatMap((r) => r.failed), `Monday ${n}`).to.have.length(MAX_ATTEMPTS);
      expect(reports.flatMap((r) => r.ended), `Monday ${n}`).to.deep.equal([]);
    }
    expect(await store.get('aad-mo')).to.not.equal(undefined);
    const last = await week(DIGEST_UNDELIVERED_WEEKS - 1);
    expect(last.flatMap((r) => r.ended)).to.deep.equal(['aad-mo']);
    expect(await store.get('aad-mo')).to.equal(undefined);
    expect((await week(DIGEST_UNDELIVERED_WEEKS)).flatMap((r) => r.failed), 'nothing more is tried').to.deep.equal([]);
  });

  it('Mondays the runs missed (the bot was down) break the run of refusals: only weeks running count', async () => {
    for (let n = 0; n < DIGEST_UNDELIVERED_WEEKS; n++) expect((await week(2 * n)).flatMap((r) => r.ended), `Monday ${2 * n}`).to.deep.equal([]);
    expect(await store.get('aad-mo')).to.not.equal(undefined);
  });

  it('a Monday delivered starts the count again', async () => {
    for (let n = 0; n < DIGEST_UNDELIVERED_WEEKS - 1; n++) await week(n);
    refuse = false;
    expect((await week(DIGEST_UNDELIVERED_WEEKS - 1)).flatMap((r) => r.sent)).to.deep.equal(['aad-mo']);
    refuse = true;
    for (let n = DIGEST_UNDELIVERED_WEEKS; n < 2 * DIGEST_UNDELIVERED_WEEKS - 1; n++) expect((await week(n)).flatMap((r) => r.ended)).to.deep.equal([]);
    expect(await store.get('aad-mo')).to.not.equal(undefined);
  });
});
