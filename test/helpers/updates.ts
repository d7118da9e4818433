/** An UpdateService on a real SQLite file, over the real knowledge. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../storage/sqlite';
import { SqliteUpdateStore } from '../../storage/sqliteUpdates';
import { PublishedUpdates } from '../../updates/published';
import { UpdateService, type SubmitPolicy } from '../../updates/service';
import { realKnowledge } from './knowledge';

export interface UpdatesFixture {
  db: Db;
  store: SqliteUpdateStore;
  published: PublishedUpdates;
  service: UpdateService;
  close(): void;
}

export function updatesFixture(reviewers: string[] = ['rev-1'], submitPolicy: SubmitPolicy = 'anyone'): UpdatesFixture {
  const dir = mkdtempSync(join(tmpdir(), 'plan-updates-'));
  const db = openDatabase(dir);
  const store = new SqliteUpdateStore(db);
  const published = new PublishedUpdates(store);
  const { knowledge, index } = realKnowledge();
  const service = new UpdateService(knowledge, index, store, published, { reviewers, submitPolicy });
  return {
    db,
    store,
    published,
    service,
    close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
