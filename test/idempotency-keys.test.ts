/**
 * Idempotency keys (a card's form id, a dialog's confirm key) belong to the
 * user who sent them, in the conversation they were sent in. Someone else
 * replaying a key learns nothing of the first submission, and their own valid
 * submission is saved as new, never "already received". The stores' unique
 * key is (submitter, key), moved there by a migration on both back ends: a
 * database from before keeps its rows, findable by their own submitter.
 * (The stores' behaviour itself, on both back ends: stores.test.ts.)
 */
import { expect } from 'chai';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { MIGRATIONS, openDatabase } from '../storage/sqlite';
import { SqliteUpdateStore } from '../storage/sqliteUpdates';
import { openPostgres, PG_MIGRATIONS } from '../storage/postgres';
import { PgUpdateStore } from '../storage/postgresUpdates';
import { ensurePostgres, newSchema, sql, TEST_DATABASE_URL } from './helpers/postgres';
import { startTestServer, TestConversation, type TestServer } from './helpers/server';
import { idempotencyKey } from '../updates/service';
import type { UpdateStore } from '../updates/types';

/** The columns every version has had (carried_forward came with migration 3). */
const OLD_ROW = `INSERT INTO submissions (id, idempotency_key, record_id, record_kind, record_title, plan_id, priority_id, value, unit, period, status, narrative,
  submitter_id, submitter_name, submitted_at, review_state) VALUES ('old-1', 'form:old-form', 'cy-p1-self-harm', 'indicator', 'Self-harm', 'city', 'cy-p1', '40', 'number',
  'Q3 2017/18', 'on track', 'Clinics in twelve schools.', 'claire', 'Claire Tagg', '2018-01-05T10:00:00.000Z', 'pending')`;

async function afterMigration(store: UpdateStore) {
  const old = await store.byIdempotencyKey('claire', 'form:old-form');
  expect(old, 'the row from before the migration, found by its own submitter').to.deep.include({ id: 'old-1', value: '40' });
  expect(await store.byIdempotencyKey('mallory', 'form:old-form')).to.equal(undefined);
  const replay = await store.submit({ idempotencyKey: 'form:old-form', recordId: 'cy-p1-self-harm', recordKind: 'indicator', recordTitle: 'Self-harm', planId: 'city', priorityId: 'cy-p1', period: 'Q3 2017/18', status: 'at risk', narrative: 'Mallory\'s own update.', submitter: { id: 'mallory', name: 'Mallory' } });
  expect(replay.duplicate).to.equal(false);
  expect(replay.submission.id).not.to.equal('old-1');
  const again = await store.submit({ idempotencyKey: 'form:old-form', recordId: 'cy-p1-self-harm', recordKind: 'indicator', recordTitle: 'Self-harm', planId: 'city', priorityId: 'cy-p1', period: 'Q3 2017/18', status: 'on track', narrative: 'Again.', submitter: { id: 'claire', name: 'Claire Tagg' } });
  expect(again).to.deep.include({ duplicate: true });
  expect(again.submission.id).to.equal('old-1');
}

describe('idempotency keys are scoped to the user and the conversation', function () {
  this.timeout(60_000);

  it('the key a submission is saved under names the conversation (hashed, short) and the card\'s or dialog\'s own key', () => {
    const a = idempotencyKey('form', '19:group@thread.v2', 'form-1');
    expect(a).to.match(/^form:[\w-]{16}:form-1$/);
    expect(idempotencyKey('form', '19:other@thread.v2', 'form-1')).not.to.equal(a);
    expect(idempotencyKey('dialog', 'a'.repeat(1024), randomUUID()).length).to.be.below(100);
  });

  it('SQLite: migration 4 keeps the rows of a database from before and moves the unique key to (submitter, key)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plan-migrate-'));
    try {
      const raw = new Database(join(dir, 'plan-assistant.db'));
      raw.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
      for (const m of MIGRATIONS.filter((x) => x.version <= 3)) {
        raw.exec(m.sql);
        raw.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
      }
      raw.exec(OLD_ROW);
      raw.close();
      const db = openDatabase(dir);
      try {
        expect((db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number }).v).to.be.at.least(4);
        await afterMigration(new SqliteUpdateStore(db));
        expect((db.pragma('integrity_check') as { integrity_check: string }[])[0].integrity_check).to.equal('ok');
      } finally {
        db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('PostgreSQL: migration 4 keeps the rows of a database from before and moves the unique key to (submitter, key)', async () => {
    await ensurePostgres();
    const schema = newSchema();
    try {
      await sql(`CREATE SCHEMA "${schema.schema}"`);
      await sql('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())', [], schema.schema);
      for (const m of PG_MIGRATIONS.filter((x) => x.version <= 3)) {
        await sql(m.sql, [], schema.schema);
        await sql('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name], schema.schema);
      }
      await sql(OLD_ROW, [], schema.schema);
      const db = openPostgres({ url: TEST_DATABASE_URL, schema: schema.schema, poolMax: 2 });
      try {
        expect(await db.migrate()).to.be.at.least(4);
        await afterMigration(new PgUpdateStore(db));
      } finally {
        await db.close();
      }
    } finally {
      await schema.drop();
    }
  });

  describe('over HTTP', () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer({ RATE_LIMIT_BURST: '1000' });
    });
    after(async () => s?.stop());

    const form = (formId: string, narrative: string) => ({ action: 'confirmUpdateForm', formId, itemId: 'cy-p1-self-harm', value: '40', period: 'Q3 2017/18', status: 'on track', narrative });

    it("someone replaying another's form id gets their own form saved as new and learns nothing of the first", async () => {
      const formId = randomUUID();
      const claire = new TestConversation(s.base, { id: '29:claire', name: 'Claire Tagg', aadObjectId: 'aad-claire' });
      const first = await claire.submit(form(formId, 'Clinics are running in twelve schools now.'));
      expect(first.text).to.include('Saved.');
      const ref = /reference (\w+)/.exec(first.text)![1];
      // In the same conversation (a group chat) and in another.
      for (const conversation of [{ id: claire.id, conversationType: 'groupChat' }, {}]) {
        const mallory = new TestConversation(s.base, { id: `29:${randomUUID()}`, name: 'Mallory', aadObjectId: randomUUID() }, conversation);
        const replay = await mallory.submit(form(formId, 'Mallory\'s own progress this quarter.'));
        expect(replay.text).to.include('Saved.').and.not.include('already received').and.not.include(ref);
      }
      expect((await claire.submit(form(formId, 'Clinics are running in twelve schools now.'))).text).to.include('already received').and.include(ref);
      const rows = await new SqliteUpdateStore(s.app.db!).pending(10);
      expect(rows.filter((r) => r.submitter.id === 'aad-claire')).to.have.length(1);
      expect(rows).to.have.length(3);
    });

    it('a malformed form id is refused as invalid, never "already received", and nothing is saved', async () => {
      const c = new TestConversation(s.base);
      const before = (await new SqliteUpdateStore(s.app.db!).pending(100)).length;
      for (const formId of ['../../etc', 'x'.repeat(500), '', 'form:abc']) {
        const r = await c.submit(form(formId, 'Clinics are running in twelve schools now.'));
        expect(r.text, formId).to.include('Nothing saved yet').and.not.include('already received');
      }
      expect(await new SqliteUpdateStore(s.app.db!).pending(100)).to.have.length(before);
    });
  });
});
