/**
 * A review card's refresh names reviewers as Teams wants them (user MRIs, "29:…"), whatever form REVIEWERS
 * gives them in: an AAD object id becomes the Teams id the store recorded for that reviewer's chat (a real
 * SQLite file); an entry that is already an MRI is kept; a reviewer who never talked to the bot is left out.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../storage/sqlite';
import { SqliteConversationStore } from '../storage/sqliteReminders';
import { RefreshAudience } from '../bot/refreshAudience';

describe('RefreshAudience: review cards refresh for reviewers by their Teams ids', () => {
  let dir: string;
  let db: Db;
  let store: SqliteConversationStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'plan-refresh-'));
    db = openDatabase(dir);
    store = new SqliteConversationStore(db);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('maps an AAD id to the recorded Teams id, keeps MRIs as given, leaves out reviewers not yet seen, once each', async () => {
    const at = new Date('2026-12-01T09:00:00Z');
    await store.upsert({ userId: 'aad-rita', userName: 'Rita', reference: { channelId: 'msteams', serviceUrl: 'https://smba.example/', conversation: { id: 'a:1' }, user: { id: '29:rita', aadObjectId: 'aad-rita' } } }, at);
    const audience = new RefreshAudience(['aad-rita', '29:sam', '8:orgid:0000-1111', 'aad-never-talked', '29:rita'], store);
    expect(await audience.userIds()).to.deep.equal(['29:rita', '29:sam', '8:orgid:0000-1111']);
  });

  it('without a store, only the entries that are MRIs', async () => {
    expect(await new RefreshAudience(['aad-rita', '29:sam']).userIds()).to.deep.equal(['29:sam']);
  });
});
