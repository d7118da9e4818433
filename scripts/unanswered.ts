/**
 * `npm run unanswered`: the questions the bot could not answer, and the "none
 * of these" clicks, with counts: what the knowledge authors should add next.
 * It reads the configuration as the bot does (environment, then .env), so with
 * DATABASE_URL set it lists the shared PostgreSQL log, else the SQLite one.
 */
import { loadConfig, loadDotEnv } from '../bot/config';
import { openDatabase, SqliteUnansweredLog } from '../storage/sqlite';
import { openPostgres, PgUnansweredLog } from '../storage/postgres';
import type { UnansweredSummary } from '../knowledge/unanswered';

async function main() {
  loadDotEnv();
  const config = loadConfig();
  const limit = Number(process.argv[2] ?? 100);
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
