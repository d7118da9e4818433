/**
 * A database made by main before the managers' view (SQLite at migration 4,
 * PostgreSQL at 5: idempotency keys per submitter, and PostgreSQL's shared
 * rate limit) upgrades cleanly: the managers' tables (weekly digest
 * subscriptions, exported documents) come as SQLite's migration 5 and
 * PostgreSQL's 6, after the others and in order; the rows already there are
 * kept, and the new stores work on the upgraded database. The message
 * extension's recent items follow them (SQLite 6, PostgreSQL 7). On a real
 * SQLite file and a real PostgreSQL schema.
 */
import { expect } from 'chai';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIGRATIONS, openDatabase } from '../storage/sqlite';
import { SqliteUpdateStore } from '../storage/sqliteUpdates';
import { SqliteDigestStore, SqliteExportStore } from '../storage/sqliteDigests';
import { openPostgres, PG_MIGRATIONS } from '../storage/postgres';
import { PgUpdateStore } from '../storage/postgresUpdates';
import { PgDigestStore, PgExportStore } from '../storage/postgresDigests';
import { ensurePostgres, newSchema, sql, TEST_DATABASE_URL } from './helpers/postgres';
import type { DigestStore } from '../updates/digest';
import type { ExportStore } from '../reports/exportLinks';
import type { UpdateStore } from '../updates/types';
import { SqliteRecentItems } from '../storage/sqliteRecent';
import { PgRecentItems } from '../storage/postgresRecent';
import type { RecentItems } from '../knowledge/recentItems';

/** A submission as main stored it (every column main's migrations made). */
const MAINS_ROW = `INSERT INTO submissions (id, idempotency_key, record_id, record_kind, record_title, plan_id, priority_id, value, unit, period, status, narrative,
  submitter_id, submitter_name, submitted_at, review_state) VALUES ('from-main', 'form:k1', 'cy-p1-self-harm', 'indicator', 'Self-harm', 'city', 'cy-p1', '40', 'number',
  'Q3 2017/18', 'on track', 'Clinics in twelve schools.', 'aad-claire', 'Claire Tagg', '2018-01-05T10:00:00.000Z', 'pending')`;

const REFERENCE = { channelId: 'msteams', serviceUrl: 'https://smba.trafficmanager.net/uk/', conversation: { id: 'a:1', conversationType: 'personal', tenantId: 't1' }, user: { id: '29:mo', aadObjectId: 'aad-mo' }, bot: { id: '28:bot' } };

async function worksAfterUpgrade(updates: UpdateStore, digests: DigestStore, exports: ExportStore, recent: RecentItems): Promise<void> {
  // main's row is still there, found by its own submitter (migration 4's key).
  expect(await updates.byIdempotencyKey('aad-claire', 'form:k1')).to.deep.include({ id: 'from-main', value: '40' });
  await digests.subscribe({ userId: 'aad-mo', userName: 'Mo Manager', reference: REFERENCE, timeZone: 'Europe/London', subscribedAt: '2018-05-11T16:00:00.000Z' });
  expect(await digests.get('aad-mo')).to.deep.include({ userId: 'aad-mo', reference: REFERENCE });
  const now = new Date('2018-05-11T16:00:00Z');
  const id = '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f';
  await exports.put({ id, userId: 'aad-mo', fileName: 'report.docx', contentType: 'application/octet-stream', content: Buffer.from('PK'), createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + 15 * 60_000).toISOString() }, now);
  expect((await exports.get(id))?.content.toString()).to.equal('PK');
  await recent.record('aad-mo', 'ce-p4-camhs-referral-to-treatment', now);
  expect((await recent.list('aad-mo', 5)).map((i) => i.recordId)).to.deep.equal(['ce-p4-camhs-referral-to-treatment']);
}

describe("a database from main upgrades to the managers' tables", function () {
  this.timeout(60_000);

  it('the migrations are numbered in order on each back end, the managers\' at SQLite 5 and PostgreSQL 6, then the recent items', () => {
    expect(MIGRATIONS.map((m) => m.version)).to.deep.equal([1, 2, 3, 4, 5, 6]);
    expect(PG_MIGRATIONS.map((m) => m.version)).to.deep.equal([1, 2, 3, 4, 5, 6, 7]);
    expect(MIGRATIONS.find((m) => m.version === 5)!.sql).to.include('CREATE TABLE digest_subscriptions').and.include('CREATE TABLE exports');
    expect(PG_MIGRATIONS.find((m) => m.version === 6)!.sql).to.include('CREATE TABLE digest_subscriptions').and.include('CREATE TABLE exports');
    expect(MIGRATIONS.at(-1)!.sql).to.include('CREATE TABLE recent_items');
    expect(PG_MIGRATIONS.at(-1)!.sql).to.include('CREATE TABLE recent_items');
    expect(PG_MIGRATIONS.find((m) => m.version === 5)!.sql).to.include('CREATE TABLE rate_limits');
  });

  it('SQLite: a file at main\'s migration 4 gets migrations 5 and 6, keeps its rows, and the digest, export and recent item stores work', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plan-upgrade-'));
    try {
      const raw = new Database(join(dir, 'plan-assistant.db'));
      raw.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
      for (const m of MIGRATIONS.filter((x) => x.version <= 4)) {
        raw.exec(m.sql);
        raw.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
      }
      raw.exec(MAINS_ROW);
      raw.close();
      const db = openDatabase(dir);
      try {
        const versions = (db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all() as { version: number; name: string }[]).map((r) => r.version);
        expect(versions).to.deep.equal([1, 2, 3, 4, 5, 6]);
        await worksAfterUpgrade(new SqliteUpdateStore(db), new SqliteDigestStore(db), new SqliteExportStore(db), new SqliteRecentItems(db));
        expect((db.pragma('integrity_check') as { integrity_check: string }[])[0].integrity_check).to.equal('ok');
      } finally {
        db.close();
      }
      // Opened again: nothing left to apply, nothing applied twice.
      const again = openDatabase(dir);
      try {
        expect((again.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get() as { n: number }).n).to.equal(6);
      } finally {
        again.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("PostgreSQL: a schema at main's migration 5 (with a rate limit row) gets migrations 6 and 7, keeps its rows, and the digest, export and recent item stores work", async () => {
    await ensurePostgres();
    const schema = newSchema();
    try {
      await sql(`CREATE SCHEMA "${schema.schema}"`);
      await sql('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())', [], schema.schema);
      for (const m of PG_MIGRATIONS.filter((x) => x.version <= 5)) {
        await sql(m.sql, [], schema.schema);
        await sql('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name], schema.schema);
      }
      await sql(MAINS_ROW, [], schema.schema);
      expect((await sql<{ r: string }>("SELECT rate_limit_take('aad-claire', 5, 1) AS r", [], schema.schema))[0].r).to.equal('allow');
      const db = openPostgres({ url: TEST_DATABASE_URL, schema: schema.schema, poolMax: 2 });
      try {
        expect(await db.migrate()).to.equal(7);
        const versions = (await sql<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version', [], schema.schema)).map((r) => r.version);
        expect(versions).to.deep.equal([1, 2, 3, 4, 5, 6, 7]);
        await worksAfterUpgrade(new PgUpdateStore(db), new PgDigestStore(db), new PgExportStore(db), new PgRecentItems(db));
        // The shared rate limit's row from before is still there.
        expect(await sql('SELECT user_key FROM rate_limits', [], schema.schema)).to.deep.equal([{ user_key: 'aad-claire' }]);
        // Migrating again applies nothing.
        expect(await db.migrate()).to.equal(7);
        expect((await sql<{ n: string }>('SELECT COUNT(*) AS n FROM schema_migrations', [], schema.schema))[0].n).to.equal('7');
      } finally {
        await db.close();
      }
    } finally {
      await schema.drop();
    }
  });
});
