/** The SQLite store on a real file: migrations, eTag checks and the unanswered log. */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, migrate, SqliteStateStore, SqliteUnansweredLog, ETagConflictError, MIGRATIONS, type Db } from '../storage/sqlite';

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

  it('stores state with eTags: a stale eTag is refused, a current one wins', async () => {
    const store = new SqliteStateStore(db);
    await store.write({ k: { n: 1 } });
    const first = (await store.read(['k'])).k;
    expect(first.n).to.equal(1);
    expect(first.eTag).to.be.a('string');
    await store.write({ k: { n: 2, eTag: first.eTag } });
    let err: unknown;
    try {
      await store.write({ k: { n: 3, eTag: first.eTag } });
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(ETagConflictError);
    expect((err as Error).message).to.include('eTag conflict');
    expect((await store.read(['k'])).k.n).to.equal(2);
    await store.write({ k: { n: 4, eTag: '*' } });
    expect((await store.read(['k'])).k.n).to.equal(4);
  });

  it('two writers with the same eTag: exactly one wins', async () => {
    const store = new SqliteStateStore(db);
    await store.write({ k: { n: 0 } });
    const { eTag } = (await store.read(['k'])).k;
    const results = await Promise.allSettled([store.write({ k: { n: 1, eTag } }), store.write({ k: { n: 2, eTag } })]);
    expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
    expect(results.filter((r) => r.status === 'rejected')).to.have.length(1);
  });

  it('keeps state across reopening the file', async () => {
    await new SqliteStateStore(db).write({ 'conv/1': { dialog: 'step 3' } });
    db.close();
    db = openDatabase(dir);
    expect((await new SqliteStateStore(db).read(['conv/1']))['conv/1'].dialog).to.equal('step 3');
  });

  it('deletes state', async () => {
    const store = new SqliteStateStore(db);
    await store.write({ a: { x: 1 }, b: { x: 2 } });
    await store.delete(['a']);
    expect(Object.keys(await store.read(['a', 'b']))).to.deep.equal(['b']);
  });

  it('logs unanswered questions and lists them with counts', () => {
    const log = new SqliteUnansweredLog(db);
    log.record({ question: 'Ofsted rating city?', reason: 'notFound', suggestions: ['x'] });
    log.record({ question: 'ofsted rating city? ', reason: 'notFound', suggestions: [] });
    log.record({ question: 'something else', reason: 'noneOfThese', suggestions: [] });
    const list = log.list();
    expect(list[0]).to.include({ count: 2, reason: 'notFound' });
    expect(list).to.have.length(2);
  });
});
