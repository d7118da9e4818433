/**
 * The reporting cycle's stores in SQLite: users' conversation references and
 * the reminder claims. A claim is an INSERT … ON CONFLICT DO NOTHING on the
 * reminder's primary key (or the take-over of a stale or failed claim), a
 * lead's keys together in one IMMEDIATE transaction, so two processes on one
 * file cannot both win a key.
 */
import type Database from 'better-sqlite3';
import type { Db } from './sqlite';
import { KnownConversationSchema, type ConversationStore, type KnownConversation } from '../updates/conversations';
import { inClaimOrder, ReminderRecordSchema, type ClaimOptions, type ReminderKey, type ReminderLog, type ReminderRecord } from '../updates/reminderLog';

interface ConversationRow {
  user_id: string;
  user_name: string;
  reference: string;
  updated_at: string;
}

export interface ReminderRow {
  user_id: string;
  item_id: string;
  period: string;
  kind: string;
  state: string;
  claimant: string;
  claimed_at: string;
  attempts: number;
  sent_at: string | null;
  error: string | null;
}

export function rowToConversation(r: ConversationRow): KnownConversation {
  return KnownConversationSchema.parse({ userId: r.user_id, userName: r.user_name, reference: JSON.parse(r.reference) as unknown, updatedAt: r.updated_at });
}

export function rowToReminder(r: ReminderRow): ReminderRecord {
  return ReminderRecordSchema.parse({
    userId: r.user_id,
    itemId: r.item_id,
    period: r.period,
    kind: r.kind,
    state: r.state,
    claimant: r.claimant,
    claimedAt: r.claimed_at,
    attempts: Number(r.attempts),
    sentAt: r.sent_at ?? undefined,
    error: r.error ?? undefined,
  });
}

const KEY = 'user_id = ? AND item_id = ? AND period = ? AND kind = ?';
const keyParams = (k: ReminderKey): [string, string, string, string] => [k.userId, k.itemId, k.period, k.kind];

export class SqliteConversationStore implements ConversationStore {
  private readonly upsertStmt: Database.Statement<[string, string, string, string, string]>;

  constructor(private readonly db: Db) {
    // The WHERE skips the write when nothing changed (and the row is recent enough): changes is 0 then.
    this.upsertStmt = db.prepare(
      `INSERT INTO conversations (user_id, user_name, reference, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET user_name = excluded.user_name, reference = excluded.reference, updated_at = excluded.updated_at
       WHERE conversations.user_name <> excluded.user_name OR conversations.reference <> excluded.reference OR conversations.updated_at < ?`,
    );
  }

  async upsert(c: Omit<KnownConversation, 'updatedAt'>, at: Date, refreshBefore?: Date): Promise<boolean> {
    return this.upsertStmt.run(c.userId, c.userName, JSON.stringify(c.reference), at.toISOString(), refreshBefore?.toISOString() ?? '').changes > 0;
  }

  async touch(userId: string, at: Date): Promise<void> {
    this.db.prepare('UPDATE conversations SET updated_at = ? WHERE user_id = ? AND updated_at < ?').run(at.toISOString(), userId, at.toISOString());
  }

  async prune(olderThan: Date, maxRows: number, maxReferenceBytes: number): Promise<number> {
    const tx = this.db.transaction(() => {
      const old = this.db.prepare('DELETE FROM conversations WHERE updated_at < ? OR length(CAST(reference AS BLOB)) > ?').run(olderThan.toISOString(), maxReferenceBytes).changes;
      const over = this.db.prepare('DELETE FROM conversations WHERE user_id IN (SELECT user_id FROM conversations ORDER BY updated_at DESC, user_id LIMIT -1 OFFSET ?)').run(maxRows).changes;
      return old + over;
    });
    return tx.immediate();
  }

  async get(userId: string): Promise<KnownConversation | undefined> {
    const r = this.db.prepare('SELECT * FROM conversations WHERE user_id = ?').get(userId) as ConversationRow | undefined;
    return r && rowToConversation(r);
  }

  async all(): Promise<KnownConversation[]> {
    return (this.db.prepare('SELECT * FROM conversations ORDER BY user_name, user_id').all() as ConversationRow[]).map(rowToConversation);
  }
}

export class SqliteReminderLog implements ReminderLog {
  constructor(private readonly db: Db) {}

  async claim(keys: ReminderKey[], o: ClaimOptions): Promise<ReminderKey[]> {
    const insert = this.db.prepare("INSERT INTO reminders (user_id, item_id, period, kind, state, claimant, claimed_at, attempts) VALUES (?, ?, ?, ?, 'claimed', ?, ?, 1) ON CONFLICT DO NOTHING");
    // Someone has it: take it over only if their run died holding it, or it failed and may be tried again.
    const takeOver = this.db.prepare(
      `UPDATE reminders SET state = 'claimed', claimant = ?, claimed_at = ?, attempts = attempts + 1, error = NULL
       WHERE ${KEY} AND ((state = 'claimed' AND claimed_at < ?) OR (state = 'failed' AND attempts < ?))`,
    );
    const tx = this.db.transaction((): ReminderKey[] =>
      inClaimOrder(keys).filter(
        (key) => insert.run(...keyParams(key), o.claimant, o.at.toISOString()).changes > 0 || takeOver.run(o.claimant, o.at.toISOString(), ...keyParams(key), o.staleBefore.toISOString(), o.maxAttempts).changes === 1,
      ),
    );
    // IMMEDIATE: the write lock up front, so two processes on the file take turns.
    return tx.immediate();
  }

  async markSent(key: ReminderKey, _claimant: string, at: Date): Promise<void> {
    // Whoever holds the claim now: the card went out, so it is sent (a stale take-over must not send it again).
    this.db.prepare(`UPDATE reminders SET state = 'sent', sent_at = ?, error = NULL WHERE ${KEY} AND state <> 'sent'`).run(at.toISOString(), ...keyParams(key));
  }

  async markFailed(key: ReminderKey, claimant: string, error: string): Promise<void> {
    this.db.prepare(`UPDATE reminders SET state = 'failed', error = ? WHERE ${KEY} AND state = 'claimed' AND claimant = ?`).run(error.slice(0, 1000), ...keyParams(key), claimant);
  }

  async forUser(userId: string): Promise<ReminderRecord[]> {
    return (this.db.prepare('SELECT * FROM reminders WHERE user_id = ? ORDER BY claimed_at, item_id, kind').all(userId) as ReminderRow[]).map(rowToReminder);
  }
}
