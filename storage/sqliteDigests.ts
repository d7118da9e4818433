/**
 * Managers' stores in SQLite: weekly digest subscriptions, and exported
 * documents kept until their download link expires (see reports/exportLinks.ts).
 */
import type { Db } from './sqlite';
import { DigestSubscriptionSchema, type DigestStore, type DigestSubscription } from '../updates/digest';
import { StoredExportSchema, type ExportStore, type StoredExport } from '../reports/exportLinks';

export interface SubscriptionRow {
  user_id: string;
  user_name: string;
  reference: string;
  time_zone: string;
  subscribed_at: string;
}

export interface ExportRow {
  id: string;
  user_id: string;
  file_name: string;
  content_type: string;
  content: Buffer;
  created_at: string;
  expires_at: string;
}

export function rowToSubscription(r: SubscriptionRow): DigestSubscription {
  return DigestSubscriptionSchema.parse({ userId: r.user_id, userName: r.user_name, reference: JSON.parse(r.reference) as unknown, timeZone: r.time_zone, subscribedAt: r.subscribed_at });
}

export function rowToExport(r: ExportRow): StoredExport {
  return StoredExportSchema.parse({ id: r.id, userId: r.user_id, fileName: r.file_name, contentType: r.content_type, content: Buffer.from(r.content), createdAt: r.created_at, expiresAt: r.expires_at });
}

export class SqliteDigestStore implements DigestStore {
  constructor(private readonly db: Db) {}

  async subscribe(s: DigestSubscription): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO digest_subscriptions (user_id, user_name, reference, time_zone, subscribed_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (user_id) DO UPDATE SET user_name = excluded.user_name, reference = excluded.reference, time_zone = excluded.time_zone, subscribed_at = excluded.subscribed_at`,
      )
      .run(s.userId, s.userName, JSON.stringify(s.reference), s.timeZone, s.subscribedAt);
  }

  async unsubscribe(userId: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM digest_subscriptions WHERE user_id = ?').run(userId).changes > 0;
  }

  async get(userId: string): Promise<DigestSubscription | undefined> {
    const r = this.db.prepare('SELECT * FROM digest_subscriptions WHERE user_id = ?').get(userId) as SubscriptionRow | undefined;
    return r && rowToSubscription(r);
  }

  async all(): Promise<DigestSubscription[]> {
    return (this.db.prepare('SELECT * FROM digest_subscriptions ORDER BY user_id').all() as SubscriptionRow[]).map(rowToSubscription);
  }
}

export class SqliteExportStore implements ExportStore {
  constructor(private readonly db: Db) {}

  async put(e: StoredExport, now: Date): Promise<void> {
    const tx = this.db.transaction(() => {
      this.db.prepare('DELETE FROM exports WHERE expires_at < ?').run(now.toISOString());
      this.db.prepare('INSERT INTO exports (id, user_id, file_name, content_type, content, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(e.id, e.userId, e.fileName, e.contentType, e.content, e.createdAt, e.expiresAt);
    });
    tx();
  }

  async get(id: string): Promise<StoredExport | undefined> {
    const r = this.db.prepare('SELECT * FROM exports WHERE id = ?').get(id) as ExportRow | undefined;
    return r && rowToExport(r);
  }
}
