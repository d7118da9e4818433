/**
 * The reporting cycle's stores in PostgreSQL: users' conversation references
 * and the reminder claims, for several instances sharing one database. A
 * claim is INSERT … ON CONFLICT DO NOTHING on the reminder's primary key: of
 * any number of instances claiming at once, exactly one inserts (the others
 * wait for its transaction, then find the row). Taking over a stale or failed
 * claim is a conditional UPDATE; a second concurrent UPDATE waits for the
 * first and, under READ COMMITTED, re-checks its WHERE on the row the first
 * wrote, which no longer qualifies, so it loses. A lead's keys are claimed in
 * one transaction in key order: the run that takes the first key holds it
 * until it has the rest, so concurrent runs do not split one lead's card.
 */
import { clean, type PgDatabase } from './postgres';
import { rowToConversation, rowToReminder, type ReminderRow } from './sqliteReminders';
import type { ConversationStore, KnownConversation } from '../updates/conversations';
import { inClaimOrder, type ClaimOptions, type ReminderKey, type ReminderLog, type ReminderRecord } from '../updates/reminderLog';

type ConversationRow = Parameters<typeof rowToConversation>[0];

const KEY = 'user_id = $1 AND item_id = $2 AND period = $3 AND kind = $4';
const keyParams = (k: ReminderKey): string[] => [clean(k.userId), clean(k.itemId), clean(k.period), k.kind];

export class PgConversationStore implements ConversationStore {
  constructor(private readonly db: PgDatabase) {}

  async upsert(c: Omit<KnownConversation, 'updatedAt'>, at: Date, refreshBefore?: Date): Promise<boolean> {
    const r = await this.db.query(
      `INSERT INTO conversations (user_id, user_name, reference, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (user_id) DO UPDATE SET user_name = excluded.user_name, reference = excluded.reference, updated_at = excluded.updated_at
       WHERE conversations.user_name IS DISTINCT FROM excluded.user_name OR conversations.reference IS DISTINCT FROM excluded.reference OR conversations.updated_at < $5`,
      [clean(c.userId), clean(c.userName), clean(JSON.stringify(c.reference)), at.toISOString(), refreshBefore?.toISOString() ?? ''],
    );
    return (r.rowCount ?? 0) > 0;
  }

  async touch(userId: string, at: Date): Promise<void> {
    await this.db.query('UPDATE conversations SET updated_at = $2 WHERE user_id = $1 AND updated_at < $2', [clean(userId), at.toISOString()]);
  }

  async prune(olderThan: Date, maxRows: number, maxReferenceBytes: number): Promise<number> {
    return this.db.tx(async (c) => {
      const old = await c.query('DELETE FROM conversations WHERE updated_at < $1 OR octet_length(reference) > $2', [olderThan.toISOString(), maxReferenceBytes]);
      const over = await c.query('DELETE FROM conversations WHERE user_id IN (SELECT user_id FROM conversations ORDER BY updated_at DESC, user_id OFFSET $1)', [maxRows]);
      return (old.rowCount ?? 0) + (over.rowCount ?? 0);
    });
  }

  async get(userId: string): Promise<KnownConversation | undefined> {
    const r = await this.db.query<ConversationRow>('SELECT * FROM conversations WHERE user_id = $1', [clean(userId)]);
    return r.rows[0] && rowToConversation(r.rows[0]);
  }

  async all(): Promise<KnownConversation[]> {
    const r = await this.db.query<ConversationRow>('SELECT * FROM conversations ORDER BY user_name, user_id');
    return r.rows.map(rowToConversation);
  }
}

export class PgReminderLog implements ReminderLog {
  constructor(private readonly db: PgDatabase) {}

  async claim(keys: ReminderKey[], o: ClaimOptions): Promise<ReminderKey[]> {
    if (!keys.length) return [];
    return this.db.tx(async (c) => {
      const won: ReminderKey[] = [];
      for (const key of inClaimOrder(keys)) {
        const inserted = await c.query(
          "INSERT INTO reminders (user_id, item_id, period, kind, state, claimant, claimed_at, attempts) VALUES ($1, $2, $3, $4, 'claimed', $5, $6, 1) ON CONFLICT DO NOTHING",
          [...keyParams(key), clean(o.claimant), o.at.toISOString()],
        );
        if (inserted.rowCount) {
          won.push(key);
          continue;
        }
        const taken = await c.query(
          `UPDATE reminders SET state = 'claimed', claimant = $5, claimed_at = $6, attempts = attempts + 1, error = NULL
           WHERE ${KEY} AND ((state = 'claimed' AND claimed_at < $7) OR (state = 'failed' AND attempts < $8))`,
          [...keyParams(key), clean(o.claimant), o.at.toISOString(), o.staleBefore.toISOString(), o.maxAttempts],
        );
        if (taken.rowCount === 1) won.push(key);
      }
      return won;
    });
  }

  async markSent(key: ReminderKey, _claimant: string, at: Date): Promise<void> {
    // Whoever holds the claim now: the card went out, so it is sent (a stale take-over must not send it again).
    await this.db.query(`UPDATE reminders SET state = 'sent', sent_at = $5, error = NULL WHERE ${KEY} AND state <> 'sent'`, [...keyParams(key), at.toISOString()]);
  }

  async markFailed(key: ReminderKey, claimant: string, error: string): Promise<void> {
    await this.db.query(`UPDATE reminders SET state = 'failed', error = $5 WHERE ${KEY} AND state = 'claimed' AND claimant = $6`, [...keyParams(key), clean(error.slice(0, 1000)), clean(claimant)]);
  }

  async forUser(userId: string): Promise<ReminderRecord[]> {
    const r = await this.db.query<ReminderRow>('SELECT * FROM reminders WHERE user_id = $1 ORDER BY claimed_at, item_id, kind', [clean(userId)]);
    return r.rows.map(rowToReminder);
  }
}
