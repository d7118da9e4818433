/**
 * The composition root: builds every part from configuration and wires them
 * together (injected dependencies, as in the core-bot sample), so tests can
 * build the same bot with their own storage or knowledge.
 */
import { ConversationState } from 'botbuilder';
import type { Server } from 'restify';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config';
import type { Logger } from './logger';
import { createServer, type Readiness } from './server';
import { PlanBot } from './teamsBot';
import { loadKnowledge, knowledgeCounts, DEFAULT_CONTENT_DIR, type Knowledge } from '../knowledge/loader';
import { SearchIndex } from '../knowledge/search';
import { Answerer } from '../knowledge/answer';
import { Summariser } from '../knowledge/summary';
import { openDatabase, SqliteStateStore, SqliteUnansweredLog, type Db } from '../storage/sqlite';
import { SqliteUpdateStore } from '../storage/sqliteUpdates';
import { PublishedUpdates } from '../updates/published';
import { UpdateService } from '../updates/service';
import { RateLimiter } from './rateLimit';

export const VERSION: string = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;

export interface App {
  server: Server;
  /** Loads knowledge and opens storage; /healthz turns 200 when it resolves. */
  start(): Promise<void>;
  close(): Promise<void>;
  readonly knowledge?: Knowledge;
  readonly db?: Db;
}

export function createApp(config: Config, logger: Logger): App {
  let ready = false;
  let counts: Record<string, number> | undefined;
  let bot: PlanBot | undefined;
  let conversationState: ConversationState | undefined;
  let db: Db | undefined;
  let knowledge: Knowledge | undefined;
  let detail: string | undefined = 'loading knowledge';

  const readiness = (): Readiness => ({ ready, version: VERSION, counts, detail });
  const server = createServer({ config, logger, readiness, bot: () => bot, conversationState: () => conversationState });

  return {
    server,
    get knowledge() {
      return knowledge;
    },
    get db() {
      return db;
    },
    async start() {
      const t0 = performance.now();
      knowledge = loadKnowledge(config.KNOWLEDGE_DIR ?? DEFAULT_CONTENT_DIR);
      const index = new SearchIndex(knowledge);
      const c = index.counts();
      logger.info({ ...knowledgeCounts(knowledge), units: c.units, vocabulary: c.vocabulary, buildMs: Number(index.buildMs.toFixed(1)) }, 'knowledge indexed');
      db = openDatabase(config.DATA_DIR);
      conversationState = new ConversationState(new SqliteStateStore(db));
      const store = new SqliteUpdateStore(db);
      const published = new PublishedUpdates(store);
      await published.refresh();
      const updates = new UpdateService(knowledge, index, store, published, { reviewers: config.REVIEWERS, submitPolicy: config.SUBMIT_POLICY });
      const answerer = new Answerer(index, published);
      const summariser = new Summariser(knowledge, index, published);
      bot = new PlanBot({ answerer, summariser, conversationState, unanswered: new SqliteUnansweredLog(db), updates, logger, logContent: config.LOG_CONTENT, rateLimiter: new RateLimiter({ burst: config.RATE_LIMIT_BURST, perMinute: config.RATE_LIMIT_PER_MINUTE }) });
      counts = { ...knowledgeCounts(knowledge), searchUnits: c.units };
      ready = true;
      detail = undefined;
      logger.info({ ms: Number((performance.now() - t0).toFixed(1)) }, 'ready');
    },
    async close() {
      ready = false;
      await new Promise<void>((r) => server.close(() => r()));
      db?.close();
    },
  };
}
