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
import { lateUpdates } from '../updates/reportingCycle';
import { PUBLISHED_ONLY } from '../updates/visibility';
import { DigestRunner, digestSummaries, type DigestStore } from '../updates/digest';
import { ExportLinks, randomSecret, type ExportStore } from '../reports/exportLinks';
import { SqliteDigestStore, SqliteExportStore } from '../storage/sqliteDigests';
import { PgDigestStore, PgExportStore } from '../storage/postgresDigests';
import { ProactiveDigestSender } from './proactive';
import { RefreshAudience } from './refreshAudience';
import { ManagerView } from './managerView';
import { MessageExtension } from './messageExtension';
import type { RecentItems } from '../knowledge/recentItems';
import { SqliteRecentItems } from '../storage/sqliteRecent';
import { PgRecentItems } from '../storage/postgresRecent';

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
  /** Sends the weekly digests due now (once started; the schedule runs it beside the reminders). */
  readonly digests?: DigestRunner;
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
  let digests: DigestRunner | undefined;
  let links: ExportLinks | undefined;
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
  const server = createServer({ config, logger, readiness, bot: () => bot, conversationState: () => conversationState, exports: () => links }, adapter);
  /** Where download links point: PUBLIC_URL, else this server as it listens (local use: the Playground, tests). */
  const baseUrl = (): string => {
    if (config.PUBLIC_URL) return config.PUBLIC_URL;
    const a = server.address() as { address?: string; port?: number } | string | null;
    const host = a && typeof a === 'object' && a.address && !['0.0.0.0', '::'].includes(a.address) ? (a.address.includes(':') ? `[${a.address}]` : a.address) : 'localhost';
    return `http://${host}:${a && typeof a === 'object' ? a.port : config.PORT}`;
  };
  if (!config.EXPORT_LINK_SECRET && (config.DATABASE_URL || config.MicrosoftAppId)) {
    logger.warn({}, 'EXPORT_LINK_SECRET is not set: download links are signed with a random secret of this instance, so they fail on other instances and after a restart. Set the same secret on every instance.');
  }
  if (config.MicrosoftAppId && !config.PUBLIC_URL) logger.warn({}, 'PUBLIC_URL is not set: download links for exported documents point at localhost. Set it to the bot\'s public https address.');

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
    get digests() {
      return digests;
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
      let digestStore: DigestStore;
      let exportStore: ExportStore;
      let recent: RecentItems;
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
        digestStore = new PgDigestStore(shared);
        exportStore = new PgExportStore(shared);
        recent = new PgRecentItems(shared);
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
        // A manager told "Done" has their subscription on disk; an exported document only needs to outlive its link.
        digestStore = new SqliteDigestStore(db);
        exportStore = new SqliteExportStore(turnDb);
        // Written from turns, as conversation references are: a pick lost in a power cut costs one line of a recent list.
        recent = new SqliteRecentItems(turnDb);
      }
      conversationState = new OptimisticConversationState(stateStore);
      // Per-user data is bounded and expires (storage/retention.ts): pruned now, in the background, and then regularly.
      const prune = () =>
        pruneStores({ conversations, state: stateStore, recent }, now()).then(
          (r) => (r.conversations || r.states || r.recentItems) && logger.info(r, 'pruned per-user data past its retention'),
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
      const summariser = new Summariser(knowledge, index, {
        updates: published,
        now,
        catalogue,
        // As anyone may see them; each reader's own view through seenBy (the bot, the exports, the digest).
        sees: PUBLISHED_ONLY,
        // The updates late for a priority's items: an exception on its summary.
        lateUpdates: (planId, priorityNumber, at) =>
          lateUpdates({ items: updates.allItems(), calendars: updates.reportingCalendars(), submissions: published.all(), now: at }, { planId, priorityNumber }).late.map((d) => ({ title: d.item.title, period: d.period.label, due: d.due, leads: [...d.item.leads, ...d.item.organisations.map((o) => o.name)] })),
      });
      links = new ExportLinks(exportStore, { secret: config.EXPORT_LINK_SECRET ?? randomSecret(), minutes: config.EXPORT_LINK_MINUTES, baseUrl, now });
      // A digest shows what its subscriber may see (digestReader): unreviewed updates only to their submitter and reviewers.
      const digestRunner = new DigestRunner({ store: digestStore, log: reminderLog, sender: new ProactiveDigestSender(adapter, config.MicrosoftAppId ?? '', digestSummaries(summariser, updates), now), now, logger });
      digests = digestRunner;
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
        reviewers: new RefreshAudience(config.REVIEWERS, conversations),
        formTypeahead: config.FORM_TYPEAHEAD,
        logger,
        logContent: config.LOG_CONTENT,
        // Shared by every instance with PostgreSQL (N instances allow the configured rate, not N times it); per process with SQLite.
        rateLimiter: pg ? new PgRateLimiter(pg, rateLimit, logger) : new RateLimiter(rateLimit),
        conversations: new ConversationRecorder(conversations),
        reminders: runner,
        now,
        managers: new ManagerView({ summariser, updates, links, digests: digestStore, now, logger }),
        // Cards shared into other conversations say only what is published: approved updates, not even how many are pending.
        messageExtension: new MessageExtension({
          answerer: new Answerer(index, { latestApproved: (id) => published.latestApproved(id), pendingCount: () => 0 }, catalogue),
          recent,
          logger,
          now,
          selectItem: config.MESSAGE_EXTENSION_SELECT_ITEM,
        }),
      });
      if (config.REMINDERS && !closing) {
        // One pass: the reminders, then the weekly digests due (each runs even if the other fails; the first failure is logged).
        const pass = async () => {
          const failures: unknown[] = [];
          for (const run of [() => runner.runOnce(), () => digestRunner.runOnce()]) await run().catch((err: unknown) => failures.push(err));
          if (failures.length) throw failures[0];
        };
        schedule = startReminderSchedule(pass, config.REMINDER_INTERVAL_MINUTES * 60_000, logger);
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
