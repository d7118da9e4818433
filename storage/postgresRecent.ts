/**
 * The message extension's recent items in PostgreSQL: one row per user and
 * record; a pick (an upsert) and the trim of the user's oldest items are one
 * transaction, holding a per-user advisory lock so that picks recorded at
 * once on several instances take turns (under READ COMMITTED a trim would
 * not see a concurrent pick's row): a user's list never grows past
 * RECENT_ITEMS.perUser.
 */
import { clean, type PgDatabase } from './postgres';
import { rowToRecentItem, type RecentRow } from './sqliteRecent';
import { RECENT_ITEMS, type RecentItem, type RecentItems } from '../knowledge/recentItems';

/** As SQLite orders them: ids compared byte by byte (SQLite's BINARY), not by the database's locale. */
const RECENT_ORDER = 'last_used DESC, uses DESC, record_id COLLATE "C"';

export class PgRecentItems implements RecentItems {
  constructor(private readonly db: PgDatabase) {}

  async record(userId: string, recordId: string, at: Date): Promise<void> {
    await this.db.tx(async (c) => {
      // One pick of a user's at a time (instances recording at once): each trim then sees the others' rows.
      await c.query(`SELECT pg_advisory_xact_lock(hashtext('recent_items ' || $1))`, [clean(userId)]);
      await c.query(
        `INSERT INTO recent_items (user_id, record_id, uses, last_used) VALUES ($1, $2, 1, $3)
         ON CONFLICT (user_id, record_id) DO UPDATE SET uses = recent_items.uses + 1, last_used = GREATEST(recent_items.last_used, excluded.last_used)`,
        [clean(userId), clean(recordId), at.toISOString()],
      );
      await c.query(
        `DELETE FROM recent_items WHERE user_id = $1 AND record_id NOT IN (
           SELECT record_id FROM recent_items WHERE user_id = $1 ORDER BY ${RECENT_ORDER} LIMIT $2)`,
        [clean(userId), RECENT_ITEMS.perUser],
      );
    });
  }

  async prune(olderThan: Date, maxUsers: number): Promise<number> {
    return this.db.tx(async (c) => {
      const old = await c.query('DELETE FROM recent_items WHERE last_used < $1', [olderThan.toISOString()]);
      const over = await c.query(
        'DELETE FROM recent_items WHERE user_id IN (SELECT user_id FROM recent_items GROUP BY user_id ORDER BY MAX(last_used) DESC, user_id COLLATE "C" OFFSET $1)',
        [maxUsers],
      );
      return (old.rowCount ?? 0) + (over.rowCount ?? 0);
    });
  }

  async list(userId: string, limit: number): Promise<RecentItem[]> {
    const r = await this.db.query<RecentRow>(`SELECT record_id, uses, last_used FROM recent_items WHERE user_id = $1 ORDER BY ${RECENT_ORDER} LIMIT $2`, [clean(userId), limit]);
    return r.rows.map(rowToRecentItem);
  }
}
