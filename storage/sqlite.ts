/**
 * The embedded store: one SQLite file under DATA_DIR, WAL mode, schema created
 * and migrated with versioned migrations at open. Holds conversation and
 * dialog state (with eTag checks) and the unanswered-questions log.
 *
 * Deliberately free of botbuilder: the state store matches the shape of the
 * Bot Framework `Storage` interface structurally, so it plugs into
 * ConversationState without this module importing the SDK.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { UnansweredEntry, UnansweredLog, UnansweredSummary } from '../knowledge/unanswered';
import { ETagConflictError } from './errors';
import { NEXT_ETAG_SQL } from './etag';

export { ETagConflictError };

export type Db = Database.Database;

/** Ordered, append-only: a released migration is never edited, only followed by a new one. */
export const MIGRATIONS: { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'state and unanswered questions',
    sql: `
      CREATE TABLE bot_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        etag TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE unanswered (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        question TEXT NOT NULL,
        reason TEXT NOT NULL,
        suggestions TEXT NOT NULL,
        conversation TEXT,
        asked_at TEXT NOT NULL
      );
      CREATE INDEX unanswered_question ON unanswered (question);
    `,
  },
  {
    version: 2,
    name: 'progress updates, reviews and the audit trail',
    sql: `
      CREATE TABLE submissions (
        id TEXT PRIMARY KEY,
        idempotency_key TEXT NOT NULL UNIQUE,
        record_id TEXT NOT NULL,
        record_kind TEXT NOT NULL,
        record_title TEXT NOT NULL,
        plan_id TEXT NOT NULL,
        priority_id TEXT NOT NULL,
        value TEXT,
        unit TEXT,
        period TEXT NOT NULL,
        status TEXT NOT NULL,
        narrative TEXT NOT NULL,
        reason TEXT,
        recovery TEXT,
        evidence TEXT,
        submitter_id TEXT NOT NULL,
        submitter_name TEXT NOT NULL,
        submitted_at TEXT NOT NULL,
        review_state TEXT NOT NULL DEFAULT 'pending',
        reviewer_id TEXT,
        reviewer_name TEXT,
        reviewed_at TEXT,
        review_comment TEXT
      );
      CREATE INDEX submissions_record ON submissions (record_id, review_state);
      CREATE INDEX submissions_submitter ON submissions (submitter_id, submitted_at);
      CREATE TABLE audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        actor_id TEXT NOT NULL,
        actor_name TEXT NOT NULL,
        action TEXT NOT NULL,
        submission_id TEXT,
        before TEXT,
        after TEXT
      );
      -- Append-only: the audit trail can be added to, never changed.
      CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
      CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
    `,
  },
  {
    version: 3,
    name: 'reporting cycle: conversation references, reminder claims, carried-forward updates',
    sql: `
      -- Where to reach each user proactively: the Bot Framework conversation reference, opaque JSON.
      CREATE TABLE conversations (
        user_id TEXT PRIMARY KEY,
        user_name TEXT NOT NULL,
        reference TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      -- One row per reminder that is due: the primary key is the claim, so of several runs (instances, restarts) one sends it.
      CREATE TABLE reminders (
        user_id TEXT NOT NULL,
        item_id TEXT NOT NULL,
        period TEXT NOT NULL,
        kind TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('claimed', 'sent', 'failed')),
        claimant TEXT NOT NULL,
        claimed_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 1,
        sent_at TEXT,
        error TEXT,
        PRIMARY KEY (user_id, item_id, period, kind)
      );
      ALTER TABLE submissions ADD COLUMN carried_forward INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 4,
    name: 'idempotency keys scoped to their submitter',
    // SQLite cannot drop a column's UNIQUE constraint: the table is rebuilt with the same columns and rows.
    sql: `
      CREATE TABLE submissions_v4 (
        id TEXT PRIMARY KEY,
        idempotency_key TEXT NOT NULL,
        record_id TEXT NOT NULL,
        record_kind TEXT NOT NULL,
        record_title TEXT NOT NULL,
        plan_id TEXT NOT NULL,
        priority_id TEXT NOT NULL,
        value TEXT,
        unit TEXT,
        period TEXT NOT NULL,
        status TEXT NOT NULL,
        narrative TEXT NOT NULL,
        reason TEXT,
        recovery TEXT,
        evidence TEXT,
        submitter_id TEXT NOT NULL,
        submitter_name TEXT NOT NULL,
        submitted_at TEXT NOT NULL,
        review_state TEXT NOT NULL DEFAULT 'pending',
        reviewer_id TEXT,
        reviewer_name TEXT,
        reviewed_at TEXT,
        review_comment TEXT,
        carried_forward INTEGER NOT NULL DEFAULT 0,
        UNIQUE (submitter_id, idempotency_key)
      );
      INSERT INTO submissions_v4 SELECT id, idempotency_key, record_id, record_kind, record_title, plan_id, priority_id, value, unit, period, status, narrative,
        reason, recovery, evidence, submitter_id, submitter_name, submitted_at, review_state, reviewer_id, reviewer_name, reviewed_at, review_comment, carried_forward
        FROM submissions;
      DROP TABLE submissions;
      ALTER TABLE submissions_v4 RENAME TO submissions;
      CREATE INDEX submissions_record ON submissions (record_id, review_state);
      CREATE INDEX submissions_submitter ON submissions (submitter_id, submitted_at);
    `,
  },
  {
    version: 5,
    name: 'managers: weekly digest subscriptions, exported documents behind signed links',
    // Version 5 on SQLite, 6 on PostgreSQL (whose 5 is the shared rate limit, which one SQLite process does not need).
    sql: `
      -- Managers who asked for the weekly digest: where to send it (a conversation reference, opaque JSON) and their time zone.
      CREATE TABLE digest_subscriptions (
        user_id TEXT PRIMARY KEY,
        user_name TEXT NOT NULL,
        reference TEXT NOT NULL,
        time_zone TEXT NOT NULL,
        subscribed_at TEXT NOT NULL
      );
      -- Exported documents, kept only until their download link expires.
      CREATE TABLE exports (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        file_name TEXT NOT NULL,
        content_type TEXT NOT NULL,
        content BLOB NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
      CREATE INDEX exports_expires ON exports (expires_at);
    `,
  },
  {
    version: 6,
    name: 'recent items: what each user picked from the message extension',
    sql: `
      -- Per user id, bounded by the store (knowledge/recentItems.ts): record ids and when, never what was typed.
      CREATE TABLE recent_items (
        user_id TEXT NOT NULL,
        record_id TEXT NOT NULL,
        uses INTEGER NOT NULL DEFAULT 1,
        last_used TEXT NOT NULL,
        PRIMARY KEY (user_id, record_id)
      );
      CREATE INDEX recent_items_user ON recent_items (user_id, last_used);
    `,
  },
];

/**
 * How hard a connection's commits are pushed to disk.
 * - `disk` (synchronous FULL): the WAL is fsynced at every commit, so a commit
 *   survives a power cut. For submissions, reviews and the audit trail: the bot
 *   tells a lead "Saved." only after this.
 * - `process` (synchronous NORMAL): in WAL mode a commit survives the process
 *   being killed (it is in the OS's file cache) but the last few may be lost in
 *   a power cut. For conversation state and the unanswered log, written on
 *   every turn: an fsync per question was most of a turn's cost, and a power
 *   cut costing a user one dialog step is an acceptable trade.
 */
export type Durability = 'disk' | 'process';

export function openDatabase(dataDir: string, file = 'plan-assistant.db', durability: Durability = 'disk'): Db {
  const path = resolve(join(dataDir, file));
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(durability === 'disk' ? 'synchronous = FULL' : 'synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

export function migrate(db: Db): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const done = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
  const apply = db.transaction((m: (typeof MIGRATIONS)[number]) => {
    // Checked again under the write lock: another process on the file (the bot and `npm run remind`) may have just applied it.
    if (db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(m.version)) return;
    db.exec(m.sql);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
  });
  for (const m of MIGRATIONS) if (!done.has(m.version)) apply.immediate(m);
  return Math.max(0, ...MIGRATIONS.map((m) => m.version));
}

export type StoreItem = { eTag?: string; [key: string]: unknown };
export type StoreItems = Record<string, StoreItem>;

/**
 * Bot state (conversation and dialog) in SQLite, with optimistic concurrency on eTags.
 *
 * write(): no eTag or "*" overwrites; any other eTag must be the current one,
 * or, when the key does not exist, the item is created (so a made-up eTag
 * means "create, unless someone else already has"). After a successful write
 * each item's eTag is set to its new value, so the writer can write again.
 * Each item is one statement (an upsert whose update is conditional on the
 * eTag, returning the new one), and a write of several one transaction,
 * both prepared once.
 */
export class SqliteStateStore {
  private readonly get: Database.Statement<[string], { value: string; etag: string }>;
  private readonly put: Database.Statement<[{ key: string; value: string; now: string; etag: string | null }], { etag: string }>;
  private readonly remove: Database.Statement<[string]>;
  private readonly putAll: Database.Transaction<(entries: [string, StoreItem][]) => string[]>;
  private readonly removeAll: Database.Transaction<(keys: string[]) => void>;

  constructor(private readonly db: Db) {
    this.get = db.prepare('SELECT value, etag FROM bot_state WHERE key = ?');
    this.put = db.prepare(
      `INSERT INTO bot_state (key, value, etag, updated_at) VALUES (@key, @value, ${NEXT_ETAG_SQL.sqlite.first}, @now)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, etag = ${NEXT_ETAG_SQL.sqlite.after('bot_state.etag')}, updated_at = excluded.updated_at
       WHERE @etag IS NULL OR bot_state.etag = @etag
       RETURNING etag`,
    );
    this.remove = db.prepare('DELETE FROM bot_state WHERE key = ?');
    this.putAll = db.transaction((entries: [string, StoreItem][]) => entries.map(([key, item]) => this.putOne(key, item)));
    this.removeAll = db.transaction((keys: string[]) => keys.forEach((k) => this.remove.run(k)));
  }

  async read(keys: string[]): Promise<StoreItems> {
    const out: StoreItems = {};
    for (const k of keys) {
      const row = this.get.get(k);
      if (row) out[k] = { ...(JSON.parse(row.value) as StoreItem), eTag: row.etag };
    }
    return out;
  }

  /** Writes one item; its new eTag. Nothing returned: the row exists with another eTag (someone else wrote first). */
  private putOne(key: string, item: StoreItem): string {
    const { eTag, ...rest } = item;
    const row = this.put.get({ key, value: JSON.stringify(rest), now: new Date().toISOString(), etag: !eTag || eTag === '*' ? null : eTag });
    if (!row) throw new ETagConflictError(key);
    return row.etag;
  }

  async write(changes: StoreItems): Promise<void> {
    const entries = Object.entries(changes);
    // One item (every turn's commit) is one statement, atomic on its own.
    const next = entries.length === 1 ? [this.putOne(entries[0][0], entries[0][1])] : this.putAll(entries);
    entries.forEach(([, item], i) => (item.eTag = next[i]));
  }

  async delete(keys: string[]): Promise<void> {
    this.removeAll(keys);
  }

  /** Forgets conversations whose state has not changed since `olderThan` (storage/retention.ts); how many went. */
  async prune(olderThan: Date): Promise<number> {
    return this.db.prepare('DELETE FROM bot_state WHERE updated_at < ?').run(olderThan.toISOString()).changes;
  }
}

export class SqliteUnansweredLog implements UnansweredLog {
  private readonly ins: Database.Statement<[string, string, string, string | null, string]>;

  constructor(private readonly db: Db) {
    this.ins = db.prepare('INSERT INTO unanswered (question, reason, suggestions, conversation, asked_at) VALUES (?, ?, ?, ?, ?)');
  }

  async record(e: UnansweredEntry): Promise<void> {
    this.ins.run(e.question.slice(0, 2000), e.reason, JSON.stringify(e.suggestions.slice(0, 5)), e.conversation ?? null, new Date().toISOString());
  }

  async list(limit = 50): Promise<UnansweredSummary[]> {
    return this.db
      .prepare(
        `SELECT MIN(question) AS question, reason, COUNT(*) AS count, MAX(asked_at) AS lastAsked
         FROM unanswered GROUP BY lower(trim(question)), reason ORDER BY count DESC, lastAsked DESC LIMIT ?`,
      )
      .all(limit) as UnansweredSummary[];
  }
}
