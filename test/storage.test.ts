/**
 * What only the SQLite store does: WAL, migrations recorded once, state kept
 * across reopening the file. The behaviour both back ends share (eTags,
 * submissions, audit, unanswered log) is in stores.test.ts.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, migrate, SqliteStateStore, MIGRATIONS, type Db } from '../storage/sqlite';

describe('SQLite storage', () => {
  let dir: string;
  let db: Db;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'plan-store-'));
    db = openDatabase(dir);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the schema in WAL mode and records the migrations it applied, once', () => {
    expect(db.pragma('journal_mode', { simple: true })).to.equal('wal');
    const versions = (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version);
    expect(versions).to.deep.equal(MIGRATIONS.map((m) => m.version));
    migrate(db);
    expect((db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get() as { n: number }).n).to.equal(MIGRATIONS.length);
  });

  it('keeps state across reopening the file', async () => {
    await new SqliteStateStore(db).write({ 'conv/1': { dialog: 'step 3' } });
    db.close();
    db = openDatabase(dir);
    expect((await new SqliteStateStore(db).read(['conv/1']))['conv/1'].dialog).to.equal('step 3');
  });
});
