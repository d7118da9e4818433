/**
 * The message extension's recent items in SQLite: one row per user and
 * record; a pick and the trim of the user's oldest items are one
 * transaction, so a user's list never grows past RECENT_ITEMS.perUser.
 */
import type Database from 'better-sqlite3';
import type { Db } from './sqlite';
import { RECENT_ITEMS, type RecentItem, type RecentItems } from '../knowledge/recentItems';

export interface RecentRow {
  record_id: string;
  uses: number;
  last_used: string;
}

export const rowToRecentItem = (r: RecentRow): RecentItem => ({ recordId: r.record_id, uses: Number(r.uses), lastUsed: r.last_used });

/** The order items are listed and kept in: most recent first, then most used, then by id (a stable order for equal times). */
export const RECENT_ORDER = 'last_used DESC, uses DESC, record_id';

export class SqliteRecentItems implements RecentItems {
  private readonly pick: (userId: string, recordId: string, at: string) => void;
  private readonly listStmt: Database.Statement<{ user: string; limit: number }, RecentRow>;

  constructor(private readonly db: Db) {
    const upsert = db.prepare<{ user: string; record: string; at: string }>(
      `INSERT INTO recent_items (user_id, record_id, uses, last_used) VALUES (@user, @record, 1, @at)
       ON CONFLICT (user_id, record_id) DO UPDATE SET uses = uses + 1, last_used = max(last_used, excluded.last_used)`,
    );
    const trim = db.prepare<{ user: string; keep: number }>(
      `DELETE FROM recent_items WHERE user_id = @user AND record_id NOT IN (
         SELECT record_id FROM recent_items WHERE user_id = @user ORDER BY ${RECENT_ORDER} LIMIT @keep)`,
    );
    this.pick = db.transaction((user: string, record: string, at: string) => {
      upsert.run({ user, record, at });
      trim.run({ user, keep: RECENT_ITEMS.perUser });
    });
    this.listStmt = db.prepare(`SELECT record_id, uses, last_used FROM recent_items WHERE user_id = @user ORDER BY ${RECENT_ORDER} LIMIT @limit`);
  }

  async record(userId: string, recordId: string, at: Date): Promise<void> {
    this.pick(userId, recordId, at.toISOString());
  }

  async list(userId: string, limit: number): Promise<RecentItem[]> {
    return this.listStmt.all({ user: userId, limit }).map(rowToRecentItem);
  }

  async prune(olderThan: Date, maxUsers: number): Promise<number> {
    const tx = this.db.transaction(() => {
      const old = this.db.prepare('DELETE FROM recent_items WHERE last_used < ?').run(olderThan.toISOString()).changes;
      const over = this.db
        .prepare(`DELETE FROM recent_items WHERE user_id IN (SELECT user_id FROM recent_items GROUP BY user_id ORDER BY MAX(last_used) DESC, user_id LIMIT -1 OFFSET ?)`)
        .run(maxUsers).changes;
      return old + over;
    });
    return tx.immediate();
  }
}
