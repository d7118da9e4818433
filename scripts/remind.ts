/**
 * `npm run remind`: one reminder pass (and the weekly digests due), for an external scheduler (cron, an
 * Azure Container Apps job, a Kubernetes CronJob) instead of, or beside, the
 * in-bot schedule (REMINDERS=on). It reads the same configuration and
 * database as the bot, and sends through a CloudAdapter of its own (no HTTP
 * server). The database claims keep every reminder to one send, whichever
 * runs first and however often.
 *
 *   npm run remind                       today's reminders (PLAN_TODAY's, if set)
 *   npm run remind -- --now 2018-04-25   as if today were 25 April 2018 (wins over PLAN_TODAY)
 *   npm run remind -- --dry-run          say what would be sent; send and record nothing
 *
 * Prints what was sent; exits 0, 1 if a reminder could not be delivered or
 * the pass failed, 2 for bad arguments or configuration.
 */
import { existsSync } from 'node:fs';
import pino from 'pino';
import { ConfigError, loadConfig, peopleFile, type Config } from '../bot/config';
import { createAdapter } from '../bot/server';
import { ProactiveDigestSender, ProactiveReminderSender } from '../bot/proactive';
import { Summariser } from '../knowledge/summary';
import { DigestRunner, digestSummaries, type DigestRunReport, type DigestStore } from '../updates/digest';
import { SqliteDigestStore } from '../storage/sqliteDigests';
import { PgDigestStore } from '../storage/postgresDigests';
import { loadKnowledgeCached, DEFAULT_CONTENT_DIR } from '../knowledge/loader';
import { planClock, planTodayProblem } from '../knowledge/clock';
import { noCalendarSentence } from '../updates/calendar';
import { SearchIndex } from '../knowledge/search';
import { loadLeadIds } from '../knowledge/people';
import { openDatabase } from '../storage/sqlite';
import { SqliteUpdateStore } from '../storage/sqliteUpdates';
import { SqliteConversationStore, SqliteReminderLog } from '../storage/sqliteReminders';
import { openPostgres } from '../storage/postgres';
import { PgUpdateStore } from '../storage/postgresUpdates';
import { PgConversationStore, PgReminderLog } from '../storage/postgresReminders';
import { PublishedUpdates } from '../updates/published';
import { UpdateService } from '../updates/service';
import { ReminderRunner, type ReminderRunReport } from '../updates/reminderRunner';
import type { ConversationStore } from '../updates/conversations';
import type { ReminderLog } from '../updates/reminderLog';
import type { UpdateStore } from '../updates/types';
import { parseCliArgs, usageError } from './cliArgs';
import { plural } from '../knowledge/plural';
import { isoDay } from '../knowledge/periods';

const USAGE = [
  'usage: npm run remind -- [--now YYYY-MM-DD] [--dry-run]',
  '  --now YYYY-MM-DD   run as if today were that day',
  '  --dry-run          say what would be sent; send and record nothing',
].join('\n');

interface Args {
  /** --now: that day, at the time of day it is now (claims still age as time passes); else PLAN_TODAY's, else today. */
  now?: () => Date;
  dryRun: boolean;
}

/** The command line, or exits with the usage (see cliArgs). `now` only when --now is given (it wins over PLAN_TODAY). */
function readArgs(argv = process.argv.slice(2)): Args {
  const { values } = parseCliArgs(USAGE, { options: { now: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } } }, argv);
  if (values.now === undefined) return { dryRun: values['dry-run'] };
  const day = values.now;
  if (planTodayProblem(day)) usageError(USAGE, `--now needs a date written YYYY-MM-DD, got "${day}".`);
  // That day, at the time of day it is now: "today" is the given date, and claims still age as time passes.
  return { now: planClock(day), dryRun: values['dry-run'] };
}

interface Stores {
  updates: UpdateStore;
  conversations: ConversationStore;
  reminders: ReminderLog;
  digests: DigestStore;
  close(): Promise<void>;
}

async function openStores(config: Config): Promise<Stores> {
  if (config.DATABASE_URL) {
    const pg = openPostgres({ url: config.DATABASE_URL, schema: config.DATABASE_SCHEMA, poolMax: 2, statementTimeoutMs: config.PG_STATEMENT_TIMEOUT_MS });
    await pg.migrate();
    return { updates: new PgUpdateStore(pg), conversations: new PgConversationStore(pg), reminders: new PgReminderLog(pg), digests: new PgDigestStore(pg), close: () => pg.close() };
  }
  const db = openDatabase(config.DATA_DIR);
  return { updates: new SqliteUpdateStore(db), conversations: new SqliteConversationStore(db), reminders: new SqliteReminderLog(db), digests: new SqliteDigestStore(db), close: async () => void db.close() };
}

function print(report: ReminderRunReport): void {
  const day = isoDay(report.at);
  const verb = report.dryRun ? 'would send' : 'sent';
  // No calendar covers the day: say why nothing goes, and how to start the cycle again.
  if (!report.sent.length && !report.failed.length && !report.calendars.current.length) console.log(`${day}: ${noCalendarSentence(report.calendars, new Date(report.at), 'no reminders are due')}`);
  else if (!report.sent.length && !report.failed.length) console.log(`${day}: no reminders to send${report.alreadyHandled ? ` (${report.alreadyHandled} already sent)` : ''}.`);
  for (const d of report.sent) {
    console.log(`${day}: ${verb} ${d.to.name} (${d.to.id}) a reminder for ${plural(d.items.length, 'item')}:`);
    for (const i of d.items) console.log(`  - [${i.kind}] ${i.due.item.title} (${i.due.period.label}, due ${i.due.due})`);
  }
  for (const f of report.failed) console.log(`${day}: could not deliver ${f.to.name} (${f.to.id}) a reminder for ${plural(f.items.length, 'item')}: ${f.error}`);
  if (report.sent.length || report.failed.length) console.log(`${report.sent.length} ${verb}, ${report.failed.length} failed, ${report.alreadyHandled} already sent.`);
}

function printDigests(day: string, report: DigestRunReport): void {
  for (const id of report.sent) console.log(`${day}: sent ${id} the weekly digest.`);
  for (const f of report.failed) console.log(`${day}: could not deliver ${f.userId} the weekly digest: ${f.error}`);
}

async function main(): Promise<number> {
  const args = readArgs();
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      return 2;
    }
    throw e;
  }
  // Logs to stderr, so stdout is the report.
  const logger = pino({ level: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, base: { app: 'plan-assistant-remind' } }, pino.destination(2));
  const knowledge = loadKnowledgeCached(config.KNOWLEDGE_DIR ?? DEFAULT_CONTENT_DIR).knowledge;
  const stores = await openStores(config);
  try {
    const published = new PublishedUpdates(stores.updates);
    await published.refresh();
    const index = new SearchIndex(knowledge);
    const service = new UpdateService(knowledge, index, stores.updates, published, { reviewers: config.REVIEWERS, submitPolicy: config.SUBMIT_POLICY, people: loadLeadIds(peopleFile(config), knowledge, logger) });
    const adapter = createAdapter(config, logger);
    const now = args.now ?? planClock(config.PLAN_TODAY);
    const runner = new ReminderRunner({
      service,
      conversations: stores.conversations,
      log: stores.reminders,
      sender: new ProactiveReminderSender(adapter, config.MicrosoftAppId ?? ''),
      now,
      options: { daysBefore: config.REMINDER_DAYS_BEFORE, daysAfter: config.REMINDER_DAYS_AFTER },
      logger,
    });
    const report = await runner.runOnce({ dryRun: args.dryRun });
    print(report);
    if (args.dryRun) return report.failed.length ? 1 : 0;
    // The weekly digests due now (Monday morning in each subscriber's time zone), claimed as reminders are.
    // Each digest as its subscriber may see it (digestReader): unreviewed updates only to their submitter and reviewers.
    const summariser = new Summariser(knowledge, index, { updates: published, now });
    const digests = await new DigestRunner({ store: stores.digests, log: stores.reminders, sender: new ProactiveDigestSender(adapter, config.MicrosoftAppId ?? '', digestSummaries(summariser, service), now), now, logger }).runOnce();
    printDigests(isoDay(report.at), digests);
    return report.failed.length || digests.failed.length ? 1 : 0;
  } finally {
    await stores.close();
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(`reminder pass failed: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    },
  );
}
