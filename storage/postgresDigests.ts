/**
 * Managers' stores in PostgreSQL: weekly digest subscriptions, and exported
 * documents kept until their download link expires, shared by every instance
 * (a link made on one instance is served by any).
 */
import { clean, type PgDatabase } from './postgres';
import { rowToExport, rowToSubscription, type ExportRow, type SubscriptionRow } from './sqliteDigests';
import type { DigestStore, DigestSubscription } from '../updates/digest';
import type { ExportStore, StoredExport } from '../reports/exportLinks';

export class PgDigestStore implements DigestStore {
  constructor(private readonly db: PgDatabase) {}

  async subscribe(s: DigestSubscription): Promise<void> {
    await this.db.query(
      `INSERT INTO digest_subscriptions (user_id, user_name, reference, time_zone, subscribed_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (user_id) DO UPDATE SET user_name = excluded.user_name, reference = excluded.reference, time_zone = excluded.time_zone, subscribed_at = excluded.subscribed_at`,
      [clean(s.userId), clean(s.userName), clean(JSON.stringify(s.reference)), clean(s.timeZone), s.subscribedAt],
    );
  }

  async unsubscribe(userId: string): Promise<boolean> {
    const r = await this.db.query('DELETE FROM digest_subscriptions WHERE user_id = $1', [clean(userId)]);
    return (r.rowCount ?? 0) > 0;
  }

  async get(userId: string): Promise<DigestSubscription | undefined> {
    const r = await this.db.query<SubscriptionRow>('SELECT * FROM digest_subscriptions WHERE user_id = $1', [clean(userId)]);
    return r.rows[0] && rowToSubscription(r.rows[0]);
  }

  async all(): Promise<DigestSubscription[]> {
    const r = await this.db.query<SubscriptionRow>('SELECT * FROM digest_subscriptions ORDER BY user_id');
    return r.rows.map(rowToSubscription);
  }
}

export class PgExportStore implements ExportStore {
  constructor(private readonly db: PgDatabase) {}

  async put(e: StoredExport, now: Date): Promise<void> {
    await this.db.tx(async (c) => {
      await c.query('DELETE FROM exports WHERE expires_at < $1', [now.toISOString()]);
      await c.query('INSERT INTO exports (id, user_id, file_name, content_type, content, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [e.id, clean(e.userId), clean(e.fileName), e.contentType, e.content, e.createdAt, e.expiresAt]);
    });
  }

  async get(id: string): Promise<StoredExport | undefined> {
    const r = await this.db.query<ExportRow>('SELECT * FROM exports WHERE id = $1', [clean(id)]);
    return r.rows[0] && rowToExport(r.rows[0]);
  }
}
