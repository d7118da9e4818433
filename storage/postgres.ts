/**
 * The shared store: PostgreSQL through `pg`, for several bot instances behind
 * one load balancer. Same interfaces as the SQLite stores: bot state with
 * eTag checks, the unanswered log (and, in postgresUpdates.ts, submissions,
 * reviews and the audit trail).
 *
 * - One pool per instance, with a size limit, a connect timeout and a
 *   statement timeout, so a slow or missing database fails a turn in seconds
 *   instead of hanging it.
 * - Versioned migrations run at start-up under pg_advisory_lock, so instances
 *   starting together apply each migration once.
 * - A dedicated LISTEN connection (PgListener) hears what other instances
 *   changed, reconnects by itself, and is what /healthz reports on.
 *
 * Times are ISO-8601 text in UTC, as in SQLite, taken from the database's
 * clock so every instance orders events on one clock.
 */
import { Client, Pool, type ClientConfig, type PoolClient, type QueryResult, type QueryResultRow } from 'pg';
import { ETagConflictError, StorageUnavailableError } from './errors';
import type { StoreItem, StoreItems } from './sqlite';
import { NEXT_ETAG_SQL } from './etag';
import type { UnansweredEntry, UnansweredLog, UnansweredSummary } from '../knowledge/unanswered';

/** What the store logs through (pino's logger fits). */
export interface PgLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface PgOptions {
  /** postgres://user:password@host:5432/db?sslmode=verify-full */
  url: string;
  /** Schema holding the tables; created if missing. Default public. */
  schema?: string;
  poolMax?: number;
  statementTimeoutMs?: number;
  connectTimeoutMs?: number;
  logger?: PgLogger;
}

/** Now, in UTC, as the ISO-8601 text the rest of the bot uses (same shape as Date.toISOString()). */
export const NOW_ISO = `to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The channel instances NOTIFY on; the payload is "schema|action|submission id". */
export const NOTIFY_CHANNEL = 'plan_assistant_updates';

/** Ordered, append-only: a released migration is never edited, only followed by a new one. */
export const PG_MIGRATIONS: { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'state and unanswered questions',
    sql: `
      CREATE TABLE bot_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        etag TEXT NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );
      CREATE TABLE unanswered (
        id BIGSERIAL PRIMARY KEY,
        question TEXT NOT NULL,
        reason TEXT NOT NULL,
        suggestions TEXT NOT NULL,
        conversation TEXT,
        asked_at TEXT NOT NULL
      );
      CREATE INDEX unanswered_question ON unanswered (lower(btrim(question)), reason);
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
        review_state TEXT NOT NULL DEFAULT 'pending' CHECK (review_state IN ('pending', 'approved', 'returned')),
        reviewer_id TEXT,
        reviewer_name TEXT,
        reviewed_at TEXT,
        review_comment TEXT
      );
      CREATE INDEX submissions_record ON submissions (record_id, review_state);
      CREATE INDEX submissions_submitter ON submissions (submitter_id, submitted_at);
      CREATE INDEX submissions_review_state ON submissions (review_state, submitted_at);
      CREATE TABLE audit (
        id BIGSERIAL PRIMARY KEY,
        at TEXT NOT NULL,
        actor_id TEXT NOT NULL,
        actor_name TEXT NOT NULL,
        action TEXT NOT NULL,
        submission_id TEXT,
        before TEXT,
        after TEXT
      );
      -- Append-only: the audit trail can be added to, never changed, deleted or truncated.
      CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit is append-only';
      END
      $$;
      CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only();
      CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
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
      -- One row per reminder that is due: the primary key is the claim, so of several instances (or a restarted run) one sends it.
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
      ALTER TABLE submissions ADD COLUMN carried_forward BOOLEAN NOT NULL DEFAULT false;
    `,
  },
  {
    version: 4,
    name: 'idempotency keys scoped to their submitter',
    sql: `
      ALTER TABLE submissions DROP CONSTRAINT submissions_idempotency_key_key;
      ALTER TABLE submissions ADD CONSTRAINT submissions_submitter_idempotency_key UNIQUE (submitter_id, idempotency_key);
    `,
  },
  {
    version: 5,
    name: 'per-user rate limit shared by every instance',
    sql: `
      -- One token bucket per sender (storage/postgresRateLimit.ts); times are seconds since the epoch on the database's clock.
      CREATE TABLE rate_limits (
        user_key TEXT PRIMARY KEY,
        tokens DOUBLE PRECISION NOT NULL,
        at DOUBLE PRECISION NOT NULL,
        warned BOOLEAN NOT NULL DEFAULT false
      );
      CREATE INDEX rate_limits_at ON rate_limits (at);
      -- Refill the sender's bucket, then take a token: 'allow'; none left: 'warn' the first time, 'drop' after. Atomic per sender (row lock).
      CREATE FUNCTION rate_limit_take(p_key TEXT, p_burst DOUBLE PRECISION, p_per_second DOUBLE PRECISION) RETURNS TEXT LANGUAGE plpgsql AS $$
      DECLARE
        v_now DOUBLE PRECISION := extract(epoch FROM clock_timestamp());
        v_tokens DOUBLE PRECISION;
        v_at DOUBLE PRECISION;
        v_warned BOOLEAN;
      BEGIN
        INSERT INTO rate_limits (user_key, tokens, at, warned) VALUES (p_key, p_burst, v_now, false) ON CONFLICT (user_key) DO NOTHING;
        SELECT tokens, at, warned INTO v_tokens, v_at, v_warned FROM rate_limits WHERE user_key = p_key FOR UPDATE;
        v_tokens := LEAST(p_burst, v_tokens + GREATEST(0, v_now - v_at) * p_per_second);
        IF v_tokens >= 1 THEN
          UPDATE rate_limits SET tokens = v_tokens - 1, at = v_now, warned = false WHERE user_key = p_key;
          RETURN 'allow';
        END IF;
        UPDATE rate_limits SET tokens = v_tokens, at = v_now, warned = true WHERE user_key = p_key;
        RETURN CASE WHEN v_warned THEN 'drop' ELSE 'warn' END;
      END
      $$;
    `,
  },
  {
    version: 6,
    name: 'managers: weekly digest subscriptions, exported documents behind signed links',
    // Version 6 on PostgreSQL, 5 on SQLite (which has no shared rate limit table, PostgreSQL's 5).
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
        content BYTEA NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
      CREATE INDEX exports_expires ON exports (expires_at);
    `,
  },
  {
    version: 7,
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

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up or shutting down)
  '53300', // too_many_connections
  '57014', // query_canceled: the statement timeout
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);
const CONNECTION_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Query read timeout|connection error|Connection is not open|terminating connection|the database system is (starting up|shutting down)/i;

/** Whether an error means the database could not be reached or did not answer in time (as opposed to a bug or a refused statement). */
export function isConnectionError(err: unknown): boolean {
  if (err instanceof StorageUnavailableError) return true;
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
  if (err instanceof AggregateError && err.errors.some(isConnectionError)) return true;
  return CONNECTION_MESSAGES.test(err.message);
}

/** A double-quoted identifier; schema names are validated by the config, this is belt and braces. */
export function ident(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

/** PostgreSQL text cannot hold NUL; strip it rather than fail a save over an invisible character. */
export function clean<T extends string | null | undefined>(v: T): T {
  return (typeof v === 'string' ? v.replace(/\u0000/g, '') : v) as T;
}

export interface DatabaseHealth {
  ok: boolean;
  detail?: string;
}

export class PgDatabase {
  readonly pool: Pool;
  readonly schema: string;
  private down?: { since: Date; detail: string };
  private readonly troubleHandlers: (() => void)[] = [];
  private closed = false;

  constructor(private readonly options: PgOptions) {
    this.schema = options.schema ?? 'public';
    this.pool = new Pool({ ...this.clientConfig(), max: options.poolMax ?? 10, idleTimeoutMillis: 30_000 });
    // An idle client whose connection drops (the database restarting) is removed by the pool; without a listener the error would kill the process.
    this.pool.on('error', (err) => this.markDown(err));
  }

  /** Connection settings for the pool and for dedicated clients (migrations, LISTEN). */
  clientConfig(extra: ClientConfig = {}): ClientConfig {
    const statementTimeout = this.options.statementTimeoutMs ?? 5000;
    return {
      connectionString: this.options.url,
      application_name: 'plan-assistant',
      options: `-c search_path=${ident(this.schema)}`,
      statement_timeout: statementTimeout,
      // The server cancels at statement_timeout; this guards against a server that stops answering altogether.
      query_timeout: statementTimeout + 2000,
      idle_in_transaction_session_timeout: Math.max(30_000, statementTimeout * 2),
      connectionTimeoutMillis: this.options.connectTimeoutMs ?? 5000,
      keepAlive: true,
      ...extra,
    };
  }

  /** ok while the database answers; otherwise since when it has not, and why. */
  health(): DatabaseHealth {
    if (!this.down) return { ok: true };
    return { ok: false, detail: `database unreachable since ${this.down.since.toISOString()}: ${this.down.detail}` };
  }

  markDown(err: unknown): void {
    const detail = err instanceof Error ? err.message || err.name : String(err);
    if (!this.down) {
      this.down = { since: new Date(), detail };
      this.options.logger?.warn({ err: detail }, 'database unreachable');
      for (const h of this.troubleHandlers) h();
    } else this.down.detail = detail;
  }

  markUp(): void {
    if (this.down) this.options.logger?.info({ downMs: Date.now() - this.down.since.getTime() }, 'database reachable again');
    this.down = undefined;
  }

  /** Called when a query finds the database unreachable (the listener then checks its own connection). */
  onTrouble(handler: () => void): void {
    this.troubleHandlers.push(handler);
  }

  private failed(err: unknown): never {
    if (isConnectionError(err)) {
      this.markDown(err);
      throw err instanceof StorageUnavailableError ? err : new StorageUnavailableError(err);
    }
    throw err;
  }

  async query<R extends QueryResultRow = QueryResultRow>(text: string, params: unknown[] = []): Promise<QueryResult<R>> {
    try {
      return await this.pool.query<R>(text, params);
    } catch (err) {
      return this.failed(err);
    }
  }

  /** Runs fn in a transaction on one pooled client: COMMIT when it resolves, ROLLBACK when it throws. */
  async tx<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      return this.failed(err);
    }
    let broken: Error | undefined;
    // The pool listens for errors only on idle clients: a connection lost while this one is checked out (between two of
    // its queries) would be an unhandled 'error' event, which ends the process. Note it; the next query then fails.
    const onError = (err: Error) => {
      broken = err;
      this.markDown(err);
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const r = await fn(client);
      await client.query('COMMIT');
      return r;
    } catch (err) {
      if (isConnectionError(err)) broken = err instanceof Error ? err : new Error(String(err));
      else await client.query('ROLLBACK').catch((e: unknown) => (broken = e instanceof Error ? e : new Error(String(e))));
      return this.failed(err);
    } finally {
      // A client whose connection failed is destroyed rather than handed to the next request.
      client.off('error', onError);
      client.release(broken);
    }
  }

  /**
   * Creates the schema if needed and applies the migrations not yet applied,
   * each in its own transaction, holding an advisory lock so that instances
   * starting together take turns. Returns the schema version.
   */
  async migrate(): Promise<number> {
    const client = new Client(this.clientConfig({ statement_timeout: 120_000, query_timeout: 130_000 }));
    client.on('error', () => undefined);
    try {
      await client.connect();
      const lockKey = `plan-assistant migrations ${this.schema}`;
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey]);
      try {
        const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [this.schema]);
        if (!exists.rowCount) await client.query(`CREATE SCHEMA IF NOT EXISTS ${ident(this.schema)}`);
        await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
        const done = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
        for (const m of PG_MIGRATIONS) {
          if (done.has(m.version)) continue;
          await client.query('BEGIN');
          try {
            await client.query(m.sql);
            await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
            await client.query('COMMIT');
          } catch (err) {
            await client.query('ROLLBACK').catch(() => undefined);
            throw err;
          }
          this.options.logger?.info({ version: m.version, name: m.name, schema: this.schema }, 'database migrated');
        }
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]).catch(() => undefined);
      }
      return Math.max(0, ...PG_MIGRATIONS.map((m) => m.version));
    } catch (err) {
      return this.failed(err);
    } finally {
      await endQuietly(client);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

export function openPostgres(options: PgOptions): PgDatabase {
  return new PgDatabase(options);
}

/** Bot state in PostgreSQL, with the same eTag semantics as SqliteStateStore. */
/** One state item written (see PgStateStore.write): $1 key, $2 value, $3 the eTag it must have (null: any). */
const PUT_STATE = `INSERT INTO bot_state (key, value, etag, updated_at) VALUES ($1, $2, ${NEXT_ETAG_SQL.postgres.first}, now())
  ON CONFLICT (key) DO UPDATE SET value = excluded.value, etag = ${NEXT_ETAG_SQL.postgres.after('bot_state.etag')}, updated_at = excluded.updated_at
  WHERE $3::text IS NULL OR bot_state.etag = $3::text
  RETURNING etag`;

export class PgStateStore {
  constructor(private readonly db: PgDatabase) {}

  async read(keys: string[]): Promise<StoreItems> {
    const out: StoreItems = {};
    if (!keys.length) return out;
    const r = await this.db.query<{ key: string; value: string; etag: string }>('SELECT key, value, etag FROM bot_state WHERE key = ANY($1::text[])', [keys]);
    for (const row of r.rows) out[row.key] = { ...(JSON.parse(row.value) as StoreItem), eTag: row.etag };
    return out;
  }

  /**
   * No eTag or "*": overwrite. Any other eTag: must be the current one, or
   * the key must not exist yet (then it is created). One statement per item:
   * an upsert whose update is conditional on the eTag (so of two writers
   * holding the same eTag exactly one succeeds), returning the new eTag, a
   * counter (storage/etag.ts).
   */
  async write(changes: StoreItems): Promise<void> {
    const entries = Object.entries(changes);
    if (!entries.length) return;
    const written: [StoreItem, string][] = [];
    const run = async (q: (text: string, params: unknown[]) => Promise<QueryResult>) => {
      for (const [key, item] of entries) {
        const { eTag, ...rest } = item;
        const r = await q(PUT_STATE, [key, JSON.stringify(rest), !eTag || eTag === '*' ? null : eTag]);
        const row = r.rows[0] as { etag: string } | undefined;
        if (!row) throw new ETagConflictError(key);
        written.push([item, row.etag]);
      }
    };
    if (entries.length === 1) await run((t, p) => this.db.query(t, p));
    else await this.db.tx((c) => run((t, p) => c.query(t, p)));
    for (const [item, next] of written) item.eTag = next;
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length) await this.db.query('DELETE FROM bot_state WHERE key = ANY($1::text[])', [keys]);
  }

  /** Forgets conversations whose state has not changed since `olderThan` (storage/retention.ts); how many went. */
  async prune(olderThan: Date): Promise<number> {
    return (await this.db.query('DELETE FROM bot_state WHERE updated_at < $1', [olderThan])).rowCount ?? 0;
  }
}

export class PgUnansweredLog implements UnansweredLog {
  constructor(private readonly db: PgDatabase) {}

  async record(e: UnansweredEntry): Promise<void> {
    await this.db.query(`INSERT INTO unanswered (question, reason, suggestions, conversation, asked_at) VALUES ($1, $2, $3, $4, ${NOW_ISO})`, [
      clean(e.question.slice(0, 2000)),
      e.reason,
      clean(JSON.stringify(e.suggestions.slice(0, 5))),
      clean(e.conversation ?? null),
    ]);
  }

  async list(limit = 50): Promise<UnansweredSummary[]> {
    const r = await this.db.query<UnansweredSummary>(
      `SELECT MIN(question) AS question, reason, COUNT(*)::int AS count, MAX(asked_at) AS "lastAsked"
       FROM unanswered GROUP BY lower(btrim(question)), reason ORDER BY count DESC, "lastAsked" DESC LIMIT $1`,
      [limit],
    );
    return r.rows;
  }
}

export interface ListenerHandlers {
  /** Another instance (or this one) changed a submission. */
  onChange(action: string, submissionId: string): void;
  /** The listener (re)connected: anything may have changed while it was away. */
  onConnect(): Promise<void>;
}

/**
 * A dedicated connection that LISTENs for changes, reconnecting with backoff
 * when it drops (at most every 2 s). Its state is the database's health: it
 * marks the database up when it connects and pings it every few seconds.
 */
export class PgListener {
  private client?: Client;
  private stopped = false;
  private reconnectTimer?: NodeJS.Timeout;
  private pingTimer?: NodeJS.Timeout;
  private attempt = 0;

  constructor(
    private readonly db: PgDatabase,
    private readonly handlers: ListenerHandlers,
    private readonly logger?: PgLogger,
    private readonly pingEveryMs = 5000,
  ) {
    db.onTrouble(() => this.check());
  }

  get connected(): boolean {
    return !!this.client;
  }

  /** Connects once; if that fails it keeps trying in the background. */
  async start(): Promise<void> {
    await this.connect();
    this.pingTimer = setInterval(() => this.check(), this.pingEveryMs);
    this.pingTimer.unref();
  }

  /** Pings now: a dead connection is dropped and reconnected. */
  check(): void {
    const c = this.client;
    if (!c) return;
    c.query('SELECT 1').then(
      () => this.db.markUp(),
      (err: unknown) => this.lost(c, err),
    );
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client(this.db.clientConfig({ query_timeout: 3000 }));
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    client.on('notification', (n) => {
      const [schema, action, id] = (n.payload ?? '').split('|');
      if (n.channel === NOTIFY_CHANNEL && schema === this.db.schema && action && id) this.handlers.onChange(action, id);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${NOTIFY_CHANNEL}`);
    } catch (err) {
      client.removeAllListeners('end');
      void endQuietly(client);
      this.db.markDown(err);
      if (this.attempt === 0) this.logger?.warn({ err: err instanceof Error ? err.message : String(err) }, 'database listener could not connect; retrying');
      this.scheduleReconnect();
      return;
    }
    if (this.stopped) {
      await endQuietly(client);
      return;
    }
    this.client = client;
    if (this.attempt > 0) this.logger?.info({ attempts: this.attempt }, 'database listener reconnected');
    this.attempt = 0;
    this.db.markUp();
    try {
      await this.handlers.onConnect();
    } catch (err) {
      this.logger?.warn({ err: err instanceof Error ? err.message : String(err) }, 'refresh after (re)connecting failed');
    }
  }

  private lost(client: Client, err: unknown): void {
    if (client !== this.client) return;
    this.client = undefined;
    client.removeAllListeners('end');
    void endQuietly(client);
    this.db.markDown(err);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    const delay = Math.min(2000, 100 * 2 ** this.attempt++);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect();
    }, delay);
    this.reconnectTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.pingTimer);
    const c = this.client;
    this.client = undefined;
    if (c) {
      c.removeAllListeners('end');
      await endQuietly(c);
    }
  }
}

/** Ends a client without waiting long: end() on a connection that failed may never settle. */
async function endQuietly(client: Client): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([client.end().catch(() => undefined), new Promise<void>((r) => (timer = setTimeout(r, 1000)))]);
  clearTimeout(timer);
}
