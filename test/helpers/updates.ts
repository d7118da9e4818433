/** An UpdateService on a real SQLite file, over the real knowledge (or the fixture knowledge); the test leads (helpers/people.ts) have ids unless `people` says otherwise. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../storage/sqlite';
import { SqliteUpdateStore } from '../../storage/sqliteUpdates';
import { PublishedUpdates } from '../../updates/published';
import { UpdateService, type SubmitPolicy } from '../../updates/service';
import { fixtureKnowledge, realKnowledge } from './knowledge';
import type { PeopleDirectory } from '../../knowledge/people';
import { testPeople } from './people';

export interface UpdatesFixture {
  db: Db;
  store: SqliteUpdateStore;
  published: PublishedUpdates;
  service: UpdateService;
  close(): void;
}

export function updatesFixture(reviewers: string[] = ['rev-1'], submitPolicy: SubmitPolicy = 'anyone', people?: PeopleDirectory, knowledgeSet: 'real' | 'fixture' = 'real'): UpdatesFixture {
  const dir = mkdtempSync(join(tmpdir(), 'plan-updates-'));
  const db = openDatabase(dir);
  const store = new SqliteUpdateStore(db);
  const published = new PublishedUpdates(store);
  const { knowledge, index } = knowledgeSet === 'fixture' ? fixtureKnowledge() : realKnowledge();
  const service = new UpdateService(knowledge, index, store, published, { reviewers, submitPolicy, people: people ?? testPeople() });
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
