/**
 * The composition root: builds every part from configuration and wires them
 * together (injected dependencies, as in the core-bot sample), so tests can
 * build the same bot with their own storage or knowledge.
 */
import type { ConversationState } from 'botbuilder';
import type { Server } from 'restify';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { peopleFile, reviewerNames, type Config } from './config';
import type { Logger } from './logger';
import { createAdapter, createServer, type Readiness } from './server';
import { PlanBot } from './teamsBot';
import { loadKnowledgeCached, knowledgeCounts, DEFAULT_CONTENT_DIR, type Knowledge } from '../knowledge/loader';
import { loadLeadIds } from '../knowledge/people';
import { SearchIndex } from '../knowledge/search';
import { Answerer } from '../knowledge/answer';
import { Summariser } from '../knowledge/summary';
import { openDatabase, SqliteStateStore, SqliteUnansweredLog, type Db } from '../storage/sqlite';
import { SqliteUpdateStore } from '../storage/sqliteUpdates';
import { isConnectionError, openPostgres, PgListener, PgStateStore, PgUnansweredLog, type PgDatabase } from '../storage/postgres';
import { PgUpdateStore } from '../storage/postgresUpdates';
import { PgRateLimiter } from '../storage/postgresRateLimit';
import type { UnansweredLog } from '../knowledge/unanswered';
import type { UpdateStore } from '../updates/types';
import { PublishedUpdates } from '../updates/published';
import { UpdateService } from '../updates/service';
import { RateLimiter } from './rateLimit';
import { OptimisticConversationState } from './turnCommit';
import { ProactiveReminderSender } from './proactive';
import { SqliteConversationStore, SqliteReminderLog } from '../storage/sqliteReminders';
import { PgConversationStore, PgReminderLog } from '../storage/postgresReminders';
import { ConversationRecorder, type ConversationStore } from '../updates/conversations';
import type { ReminderLog } from '../updates/reminderLog';
import { ReminderRunner } from '../updates/reminderRunner';
import { startReminderSchedule, type ReminderSchedule } from '../updates/reminderSchedule';
import { pruneStores, RETENTION } from '../storage/retention';
import { planClock } from '../knowledge/clock';
import { catalogueOf } from '../knowledge/catalogue';

export const VERSION: string = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;

export interface App {
  server: Server;
  /** Loads knowledge and opens storage; /healthz turns 200 when it resolves. */
  start(): Promise<void>;
  close(): Promise<void>;
  readonly knowledge?: Knowledge;
  readonly db?: Db;
  /** The shared database, when DATABASE_URL is set (then db is undefined). */
  readonly pg?: PgDatabase;
  /** Sends reminders: one pass of the schedule, or a chase (once started). */
  readonly reminders?: ReminderRunner;
}

export interface AppOptions {
  /** Today, for due dates, reminders and the current plan: tests fix it; otherwise PLAN_TODAY, else the system clock. */
  now?: () => Date;
  /** Where the validated knowledge snapshot is kept (default: beside the compiled code); tests use their own. */
  knowledgeSnapshot?: string;
}

export function createApp(config: Config, logger: Logger, options: AppOptions = {}): App {
  const now = options.now ?? planClock(config.PLAN_TODAY);
  let ready = false;
  let counts: Record<string, number> | undefined;
  let bot: PlanBot | undefined;
  let conversationState: ConversationState | undefined;
  let db: Db | undefined;
  /** A second connection to the same file for per-turn writes (see Durability in storage/sqlite.ts). */
  let turnDb: Db | undefined;
  let pg: PgDatabase | undefined;
  let listener: PgListener | undefined;
  let closing = false;
  let knowledge: Knowledge | undefined;
  let detail: string | undefined = 'loading knowledge';
  let reminders: ReminderRunner | undefined;
  let schedule: ReminderSchedule | undefined;
  let retention: NodeJS.Timeout | undefined;

  const readiness = (): Readiness => ({ ready, version: VERSION, today: now().toISOString().slice(0, 10), counts, detail, ...(pg && ready ? { database: pg.health() } : {}) });

  /** At start-up the database may not be up yet (instances and database starting together): wait for it, saying so on /healthz. */
  async function whenReachable<T>(what: string, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if (closing || !isConnectionError(err)) throw err;
        const message = err instanceof Error ? err.message : String(err);
        detail = `waiting for the database (${what}): ${message}`;
        if (attempt === 1 || attempt % 10 === 0) logger.warn({ err: message, attempt }, 'database unreachable at start-up; retrying');
        await new Promise((r) => setTimeout(r, Math.min(5000, 500 * attempt)));
      }
    }
  }
  // Reviewers are matched by id only: an entry that is not an id (a display name) matches nobody in Teams.
  const names = reviewerNames(config.REVIEWERS);
  if (config.MicrosoftAppId && names.length) {
    logger.warn(
      { entries: names },
      'REVIEWERS has entries that are not AAD object ids (GUIDs) or Teams user ids: reviewers are matched by id only, never by display name (names are not unique), so these match nobody in Teams. List reviewers by AAD object id.',
    );
  }
  // One adapter for the turns users start and for the reminders the bot starts (proactive messages).
  const adapter = createAdapter(config, logger, () => conversationState);
  const server = createServer({ config, logger, readiness, bot: () => bot, conversationState: () => conversationState }, adapter);

  return {
    server,
    get knowledge() {
      return knowledge;
    },
    get db() {
      return db;
    },
    get pg() {
      return pg;
    },
    get reminders() {
      return reminders;
    },
    async start() {
      const t0 = performance.now();
      // From the validated snapshot when the YAML is unchanged (milliseconds), else the full load, which rewrites it.
      const loaded = loadKnowledgeCached(config.KNOWLEDGE_DIR ?? DEFAULT_CONTENT_DIR, options.knowledgeSnapshot);
      knowledge = loaded.knowledge;
      if (loaded.source === 'yaml') logger.info({ why: loaded.miss, snapshotWritten: loaded.written, ...(loaded.writeError ? { writeError: loaded.writeError } : {}) }, 'knowledge loaded from YAML');
      const index = new SearchIndex(knowledge);
      // Names, calendars and the series of figures, read from the YAML once (dates parsed here, not per question).
      const catalogue = catalogueOf(knowledge);
      if (config.PLAN_TODAY) logger.info({ planToday: config.PLAN_TODAY }, 'PLAN_TODAY: the reporting cycle and the current plan run as on that day');
      const c = index.counts();
      logger.info({ ...knowledgeCounts(knowledge), units: c.units, vocabulary: c.vocabulary, buildMs: Number(index.buildMs.toFixed(1)) }, 'knowledge indexed');
      let stateStore: SqliteStateStore | PgStateStore;
      let store: UpdateStore;
      let unanswered: UnansweredLog;
      let conversations: ConversationStore;
      let reminderLog: ReminderLog;
      if (config.DATABASE_URL) {
        const shared = openPostgres({ url: config.DATABASE_URL, schema: config.DATABASE_SCHEMA, poolMax: config.PG_POOL_MAX, statementTimeoutMs: config.PG_STATEMENT_TIMEOUT_MS, logger });
        pg = shared;
        detail = 'connecting to the database';
        const version = await whenReachable('migrations', () => shared.migrate());
        logger.info({ schema: config.DATABASE_SCHEMA, version, poolMax: config.PG_POOL_MAX, statementTimeoutMs: config.PG_STATEMENT_TIMEOUT_MS }, 'PostgreSQL storage');
        stateStore = new PgStateStore(shared);
        store = new PgUpdateStore(shared);
        unanswered = new PgUnansweredLog(shared);
        conversations = new PgConversationStore(shared);
        reminderLog = new PgReminderLog(shared);
      } else {
        db = openDatabase(config.DATA_DIR);
        turnDb = openDatabase(config.DATA_DIR, undefined, 'process');
        stateStore = new SqliteStateStore(turnDb);
        store = new SqliteUpdateStore(db);
        // A user's conversation reference is written from turns (a lost one is written again at their next message after a
        // restart); reminder claims are not, and a claim lost in a power cut would mean a reminder sent twice.
        conversations = new SqliteConversationStore(turnDb);
        reminderLog = new SqliteReminderLog(db);
        unanswered = new SqliteUnansweredLog(turnDb);
      }
      conversationState = new OptimisticConversationState(stateStore);
      // Per-user data is bounded and expires (storage/retention.ts): pruned now, in the background, and then regularly.
      const prune = () =>
        pruneStores({ conversations, state: stateStore }, now()).then(
          (r) => (r.conversations || r.states) && logger.info(r, 'pruned per-user data past its retention'),
          (err: unknown) => logger.warn({ err }, 'pruning per-user data failed; trying again later'),
        );
      void prune();
      retention = setInterval(() => void prune(), RETENTION.everyMinutes * 60_000).unref();
      const published = new PublishedUpdates(store);
      await whenReachable('published updates', () => published.refresh());
      if (pg) {
        // Other instances' submissions and reviews: fetch the one that changed; after a reconnect, anything may have.
        const refreshSoon = () => setTimeout(() => published.refresh().catch((err: unknown) => logger.warn({ err }, 'refreshing published updates failed')), 1000).unref();
        listener = new PgListener(
          pg,
          {
            onChange: (_action, id) => {
              store.get(id).then(
                (s) => s && published.apply(s),
                (err: unknown) => {
                  logger.warn({ err, id }, 'could not fetch a changed submission; refreshing');
                  refreshSoon();
                },
              );
            },
            onConnect: () => published.refresh(),
          },
          logger,
        );
        await listener.start();
      }
      const people = loadLeadIds(peopleFile(config), knowledge, logger);
      const rateLimit = { burst: config.RATE_LIMIT_BURST, perMinute: config.RATE_LIMIT_PER_MINUTE };
      const updates = new UpdateService(knowledge, index, store, published, { reviewers: config.REVIEWERS, submitPolicy: config.SUBMIT_POLICY, people });
      const answerer = new Answerer(index, published, catalogue);
      const summariser = new Summariser(knowledge, index, published, now, catalogue);
      const runner = new ReminderRunner({
        service: updates,
        conversations,
        log: reminderLog,
        sender: new ProactiveReminderSender(adapter, config.MicrosoftAppId ?? ''),
        now,
        options: { daysBefore: config.REMINDER_DAYS_BEFORE, daysAfter: config.REMINDER_DAYS_AFTER },
        logger,
      });
      reminders = runner;
      bot = new PlanBot({
        answerer,
        summariser,
        conversationState,
        unanswered,
        updates,
        logger,
        logContent: config.LOG_CONTENT,
        // Shared by every instance with PostgreSQL (N instances allow the configured rate, not N times it); per process with SQLite.
        rateLimiter: pg ? new PgRateLimiter(pg, rateLimit, logger) : new RateLimiter(rateLimit),
        conversations: new ConversationRecorder(conversations),
        reminders: runner,
        now,
      });
      if (config.REMINDERS && !closing) {
        schedule = startReminderSchedule(() => runner.runOnce(), config.REMINDER_INTERVAL_MINUTES * 60_000, logger);
        logger.info({ everyMinutes: config.REMINDER_INTERVAL_MINUTES, daysBefore: config.REMINDER_DAYS_BEFORE, daysAfter: config.REMINDER_DAYS_AFTER }, 'reminder schedule on');
      }
      counts = { ...knowledgeCounts(knowledge), searchUnits: c.units };
      ready = true;
      detail = undefined;
      logger.info({ ms: Number((performance.now() - t0).toFixed(1)) }, 'ready');
    },
    async close() {
      ready = false;
      closing = true;
      // A reminder pass under way finishes (its claims are marked) before the database closes.
      await schedule?.stop();
      clearInterval(retention);
      await new Promise<void>((r) => server.close(() => r()));
      await listener?.stop();
      await pg?.close();
      turnDb?.close();
      db?.close();
    },
  };
}
