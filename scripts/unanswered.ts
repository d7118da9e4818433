/**
 * `npm run unanswered [-- --limit <n>]`: the questions the bot could not answer, and the "none
 * of these" clicks, with counts: what the knowledge authors should add next.
 * It reads the configuration as the bot does (environment, then .env), so with
 * DATABASE_URL set it lists the shared PostgreSQL log, else the SQLite one.
 */
import { loadConfig, loadDotEnv } from '../bot/config';
import { openDatabase, SqliteUnansweredLog } from '../storage/sqlite';
import { openPostgres, PgUnansweredLog } from '../storage/postgres';
import type { UnansweredSummary } from '../knowledge/unanswered';
import { parseCliArgs, usageError } from './cliArgs';

const USAGE = 'usage: npm run unanswered [-- --limit <n>]\n  --limit <n>   how many questions to list, most asked first (default 100)';

async function main() {
  const { values } = parseCliArgs(USAGE, { options: { limit: { type: 'string', default: '100' } } });
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) usageError(USAGE, `--limit needs a whole number of at least 1, not "${values.limit}".`);
  loadDotEnv();
  const config = loadConfig();
  let rows: UnansweredSummary[];
  if (config.DATABASE_URL) {
    const pg = openPostgres({ url: config.DATABASE_URL, schema: config.DATABASE_SCHEMA, poolMax: 2, statementTimeoutMs: config.PG_STATEMENT_TIMEOUT_MS });
    try {
      await pg.migrate();
      rows = await new PgUnansweredLog(pg).list(limit);
    } finally {
      await pg.close();
    }
  } else {
    const db = openDatabase(config.DATA_DIR);
    rows = await new SqliteUnansweredLog(db).list(limit);
    db.close();
  }
  if (!rows.length) console.log('No unanswered questions recorded yet.');
  else {
    console.log('count  reason        last asked            question');
    for (const r of rows) console.log(`${String(r.count).padStart(5)}  ${r.reason.padEnd(12)}  ${r.lastAsked.slice(0, 19)}  ${r.question}`);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
